package service

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"klientela/internal/crm"
	"klientela/internal/plid"
)

// Length limits of common fields, in characters.
const (
	MaxName        = 200
	MaxEmail       = 254
	MinPassword    = 10
	MaxPassword    = 256
	maxAccountName = 200
)

// NormalizeEmail trims and lower-cases an address; e-mails are compared in
// this form.
func NormalizeEmail(s string) string { return strings.ToLower(cleanText(s)) }

// cleanText trims surrounding space and drops control characters (NUL
// among them) and invalid UTF-8, which have no place in a one-line field.
func cleanText(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

func checkRequiredText(v *crm.Validation, field, value string, max int) {
	switch {
	case value == "":
		v.Add(field, "err.required")
	case utf8.RuneCountInString(value) > max:
		v.Add(field, "err.too_long", "max", max)
	}
}

// checkEmail accepts a plain address (no display name) with a dot in its
// domain, as people type it into a form.
func checkEmail(v *crm.Validation, field, email string) {
	if email == "" {
		v.Add(field, "err.required")
		return
	}
	if len(email) > MaxEmail {
		v.Add(field, "err.too_long", "max", MaxEmail)
		return
	}
	a, err := mail.ParseAddress(email)
	at := strings.LastIndexByte(email, '@')
	if err != nil || a.Address != email || at < 1 || !strings.Contains(email[at+1:], ".") ||
		strings.HasSuffix(email, ".") || strings.ContainsAny(email, " <>") {
		v.Add(field, "err.email_invalid")
	}
}

func checkPassword(v *crm.Validation, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case pw == "":
		v.Add(field, "err.required")
	case n < MinPassword:
		v.Add(field, "err.password_short", "min", MinPassword)
	case n > MaxPassword:
		v.Add(field, "err.password_long", "max", MaxPassword)
	}
}

// cleanMultiline is cleanText for text with lines (notes): line breaks and
// tabs stay, other control characters and invalid UTF-8 go.
func cleanMultiline(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

// checkNIP reads an optional NIP as typed ("123-456-32-18", "PL1234563218")
// and returns its 10 digits, or "" (with a message at field) when it is not
// a valid NIP.
func checkNIP(v *crm.Validation, field, in string) string {
	s := strings.TrimSpace(in)
	if s == "" {
		return ""
	}
	nip, err := plid.ParseNIP(s)
	switch {
	case errors.Is(err, plid.ErrChecksum):
		v.Add(field, "err.business_nip_checksum")
	case err != nil:
		v.Add(field, "err.business_nip_invalid")
	}
	return nip
}
