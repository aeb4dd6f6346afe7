package service

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/plid"
	"klientela/internal/search"
	"klientela/internal/store"
)

// BusinessInput is what a form or the API sends for a business. Strings
// are as typed; the service cleans, checks and normalises them.
type BusinessInput struct {
	Name        string
	NIP         string // any usual form: "123-456-32-18", "PL1234563218"; "" for none
	Street      string
	PostalCode  string
	City        string
	Country     string // two letters; "" for PL
	BankAccount string // NRB or IBAN as typed; "" for none
	Email       string
	Phone       string
	Default     bool // make it the account's default
}

// LogoInput changes a business's logo: new image bytes, or removal. The
// zero value keeps the logo as it is.
type LogoInput struct {
	Data   []byte // the uploaded file, when one was sent
	Remove bool
}

// Limits and defaults of businesses.
const (
	MaxLogoBytes          = 512 << 10 // 512 KB
	DefaultCountry        = "PL"
	maxBusinessStreet     = 200
	maxBusinessCity       = 100
	maxBusinessPostalCode = 20
)

// businessLogoTypes are the image types a logo may have, as sniffed from its bytes.
var businessLogoTypes = []string{"image/png", "image/jpeg", "image/webp"}

var businessCountryRe = regexp.MustCompile(`^[A-Z]{2}$`)

// businessFrom cleans and checks in and writes it onto b.
func businessFrom(in BusinessInput, b *crm.Business) error {
	var v crm.Validation
	b.Name = cleanText(in.Name)
	checkRequiredText(&v, "name", b.Name, MaxName)

	b.NIP = checkNIP(&v, "nip", in.NIP)

	b.Country = strings.ToUpper(cleanText(in.Country))
	if b.Country == "" {
		b.Country = DefaultCountry
	} else if !businessCountryRe.MatchString(b.Country) {
		v.Add("country", "err.business_country_invalid")
	}
	b.Street, b.City, b.PostalCode = cleanText(in.Street), cleanText(in.City), cleanText(in.PostalCode)
	if utf8.RuneCountInString(b.Street) > maxBusinessStreet {
		v.Add("street", "err.too_long", "max", maxBusinessStreet)
	}
	if utf8.RuneCountInString(b.City) > maxBusinessCity {
		v.Add("city", "err.too_long", "max", maxBusinessCity)
	}
	if b.PostalCode != "" {
		if b.Country == DefaultCountry {
			pc, err := plid.ParsePostalCode(b.PostalCode)
			if err != nil {
				v.Add("postal_code", "err.business_postal_invalid")
			} else {
				b.PostalCode = pc
			}
		} else if utf8.RuneCountInString(b.PostalCode) > maxBusinessPostalCode {
			v.Add("postal_code", "err.too_long", "max", maxBusinessPostalCode)
		}
	}

	b.BankAccount = ""
	if s := strings.TrimSpace(in.BankAccount); s != "" {
		acc, err := plid.ParseBankAccount(s)
		switch {
		case errors.Is(err, plid.ErrChecksum):
			v.Add("bank_account", "err.business_bank_checksum")
		case err != nil:
			v.Add("bank_account", "err.business_bank_invalid")
		}
		b.BankAccount = acc.IBAN
	}

	b.Email, b.Phone = NormalizeEmail(in.Email), cleanText(in.Phone)
	if b.Email != "" {
		checkEmail(&v, "email", b.Email)
	}
	if b.Phone != "" && !phoneRe.MatchString(b.Phone) {
		v.Add("phone", "err.phone_invalid")
	}
	return v.Err()
}

// checkBusinessLogo sniffs an uploaded logo and returns its media type. Only the
// bytes count, never the file's name or the type the browser claimed, and
// they must decode as a whole image (a damaged file is refused).
func checkBusinessLogo(v *crm.Validation, data []byte) string {
	if len(data) > MaxLogoBytes {
		v.Add("logo", "err.business_logo_too_large", "max", MaxLogoBytes>>10)
		return ""
	}
	mt := http.DetectContentType(data)
	if !slices.Contains(businessLogoTypes, mt) || !checkImage(data) {
		v.Add("logo", "err.business_logo_type")
		return ""
	}
	return mt
}

// FormatBankAccount shows a stored IBAN the way people read it: a Polish
// account as an NRB in groups ("61 1090 1014 …"), others as a grouped IBAN.
func FormatBankAccount(iban string) string {
	if iban == "" {
		return ""
	}
	acc, err := plid.ParseBankAccount(iban)
	if err != nil {
		return iban
	}
	return acc.Format()
}

func businessFields(b crm.Business) []field {
	logo := ""
	if b.HasLogo() {
		logo = b.LogoType + ", " + strconv.FormatInt(b.LogoSize, 10) + " B"
	}
	return []field{
		{"name", b.Name}, {"nip", plid.FormatNIP(b.NIP)}, {"street", b.Street}, {"postal_code", b.PostalCode},
		{"city", b.City}, {"country", b.Country}, {"bank_account", FormatBankAccount(b.BankAccount)},
		{"email", b.Email}, {"phone", b.Phone}, {"logo", logo}, {"default", strconv.FormatBool(b.IsDefault)},
	}
}

// CreateBusiness adds a business (settings, edit access), with its logo
// when one is sent. Marking it the default unmarks the previous default in
// the same transaction.
func (s *Service) CreateBusiness(ctx context.Context, in BusinessInput, logo LogoInput) (crm.Business, error) {
	p, t, err := s.actor(ctx, authz.Settings, authz.Edit)
	if err != nil {
		return crm.Business{}, err
	}
	now := s.now()
	b := crm.Business{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	err = businessFrom(in, &b)
	var v crm.Validation
	logoType := ""
	if logo.Data != nil {
		logoType = checkBusinessLogo(&v, logo.Data)
	}
	if err = joinBusinessInvalid(err, v.Err()); err != nil {
		return crm.Business{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if b.ID, err = t.CreateBusiness(ctx, b); err != nil {
			return err
		}
		if logoType != "" {
			if err := t.SetBusinessLogo(ctx, b.ID, logo.Data, logoType, now); err != nil {
				return err
			}
			b.LogoType, b.LogoSize = logoType, int64(len(logo.Data))
		}
		if in.Default {
			if err := s.makeDefault(ctx, t, p, b.ID, now); err != nil {
				return err
			}
			b.IsDefault = true
		}
		return record(ctx, t, p, now, "business", b.ID, crm.ActionCreate, b.Name, created(businessFields(b)))
	})
	if err != nil {
		return crm.Business{}, err
	}
	return t.Business(ctx, b.ID)
}

// makeDefault marks id the default inside transaction t and records the
// previous default losing the mark.
func (s *Service) makeDefault(ctx context.Context, t *store.Tenant, p *crm.Principal, id int64, now time.Time) error {
	all, err := t.Businesses(ctx)
	if err != nil {
		return err
	}
	if err := t.SetDefaultBusiness(ctx, id, now); err != nil {
		return err
	}
	for _, old := range all {
		if old.IsDefault && old.ID != id {
			cur := old
			cur.IsDefault = false
			if err := record(ctx, t, p, now, "business", old.ID, crm.ActionUpdate, old.Name,
				diff(businessFields(old), businessFields(cur))); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinBusinessInvalid merges two invalid-input errors into one, so a form shows
// every field's message at once.
func joinBusinessInvalid(a, b error) error {
	ea, okA := crm.AsError(a)
	eb, okB := crm.AsError(b)
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case okA && okB && ea.Code == crm.CodeInvalid && eb.Code == crm.CodeInvalid:
		for f, m := range eb.Fields {
			if _, ok := ea.Fields[f]; !ok {
				ea.Fields[f] = m
			}
		}
		return ea
	}
	return a
}

// Business returns one business (settings, view access).
func (s *Service) Business(ctx context.Context, id int64) (crm.Business, error) {
	_, t, err := s.actor(ctx, authz.Settings, authz.View)
	if err != nil {
		return crm.Business{}, err
	}
	return t.Business(ctx, id)
}

// UpdateBusiness changes a business (settings, edit access). The default
// cannot be unmarked: another business must be marked instead.
func (s *Service) UpdateBusiness(ctx context.Context, id int64, in BusinessInput, logo LogoInput) (crm.Business, error) {
	p, t, err := s.actor(ctx, authz.Settings, authz.Edit)
	if err != nil {
		return crm.Business{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Business(ctx, id)
		if err != nil {
			return err
		}
		b := old
		err = businessFrom(in, &b)
		var v crm.Validation
		if old.IsDefault && !in.Default {
			v.Add("default", "err.business_default_required")
		}
		logoType := ""
		if logo.Data != nil && !logo.Remove {
			logoType = checkBusinessLogo(&v, logo.Data)
		}
		if err := joinBusinessInvalid(err, v.Err()); err != nil {
			return err
		}
		b.UpdatedAt = now
		if err := t.UpdateBusiness(ctx, b); err != nil {
			return err
		}
		switch {
		case logo.Remove && old.HasLogo():
			if err := t.SetBusinessLogo(ctx, id, nil, "", now); err != nil {
				return err
			}
			b.LogoType, b.LogoSize = "", 0
		case logoType != "":
			if err := t.SetBusinessLogo(ctx, id, logo.Data, logoType, now); err != nil {
				return err
			}
			b.LogoType, b.LogoSize = logoType, int64(len(logo.Data))
		}
		if in.Default && !old.IsDefault {
			if err := s.makeDefault(ctx, t, p, id, now); err != nil {
				return err
			}
			b.IsDefault = true
		}
		return record(ctx, t, p, now, "business", id, crm.ActionUpdate, b.Name, diff(businessFields(old), businessFields(b)))
	})
	if err != nil {
		return crm.Business{}, err
	}
	return t.Business(ctx, id)
}

// SetDefaultBusiness makes a business the account's default (settings,
// edit access); the previous default stops being one.
func (s *Service) SetDefaultBusiness(ctx context.Context, id int64) (crm.Business, error) {
	b, err := s.Business(ctx, id)
	if err != nil {
		return crm.Business{}, err
	}
	in := BusinessInputOf(b)
	in.Default = true
	return s.UpdateBusiness(ctx, id, in, LogoInput{})
}

// BusinessInputOf turns a business back into the input that would save it
// unchanged; a PATCH starts from it.
func BusinessInputOf(b crm.Business) BusinessInput {
	return BusinessInput{Name: b.Name, NIP: b.NIP, Street: b.Street, PostalCode: b.PostalCode, City: b.City,
		Country: b.Country, BankAccount: b.BankAccount, Email: b.Email, Phone: b.Phone, Default: b.IsDefault}
}

// DeleteBusiness removes a business (settings, full access). The default
// and the last business stay; so does a business that records point to.
func (s *Service) DeleteBusiness(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Settings, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Business(ctx, id)
		if err != nil {
			return err
		}
		n, err := t.CountBusinesses(ctx)
		if err != nil {
			return err
		}
		switch {
		case n <= 1:
			return &crm.Error{Code: crm.CodeConflict, Key: "err.business_delete_last"}
		case old.IsDefault:
			return &crm.Error{Code: crm.CodeConflict, Key: "err.business_delete_default"}
		}
		used, err := t.BusinessInUse(ctx, id)
		if err != nil {
			return err
		}
		if used > 0 {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.business_in_use"}
		}
		if err := t.DeleteBusiness(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "business", id, crm.ActionDelete, old.Name, deleted(businessFields(old)))
	})
}

// BusinessQuery is a page of the business list.
type BusinessQuery struct {
	Q      string
	Offset int
	Limit  int
}

// ListBusinesses lists the businesses matching q (settings, view access),
// the default first, then by name; it returns the page and the number of
// all that match. Businesses are few, so the search runs here.
func (s *Service) ListBusinesses(ctx context.Context, q BusinessQuery) ([]crm.Business, int, error) {
	_, t, err := s.actor(ctx, authz.Settings, authz.View)
	if err != nil {
		return nil, 0, err
	}
	all, err := t.Businesses(ctx)
	if err != nil {
		return nil, 0, err
	}
	terms := search.Terms(q.Q)
	var out []crm.Business
	for _, b := range all {
		if businessMatches(businessSearchKey(b), terms) {
			out = append(out, b)
		}
	}
	sortBusinesses(out)
	total := len(out)
	from := min(max(0, q.Offset), total)
	to := min(total, from+Page{Limit: q.Limit}.limit())
	return out[from:to], total, nil
}

func businessSearchKey(b crm.Business) string {
	return search.Key(b.Name, b.NIP, b.Street, b.PostalCode, b.City, b.Email, b.Phone)
}

func businessMatches(key string, terms []string) bool {
	for _, term := range terms {
		if !strings.Contains(key, term) {
			return false
		}
	}
	return true
}

// sortBusinesses puts the default first, then orders by name as people
// read it (case and diacritics aside), the same on every database.
func sortBusinesses(bs []crm.Business) {
	slices.SortStableFunc(bs, func(a, b crm.Business) int {
		if a.IsDefault != b.IsDefault {
			if a.IsDefault {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(search.Fold(a.Name), search.Fold(b.Name)), cmp.Compare(a.ID, b.ID))
	})
}

// BusinessLogo returns a business's logo and its media type (settings,
// view access).
func (s *Service) BusinessLogo(ctx context.Context, id int64) ([]byte, string, error) {
	_, t, err := s.actor(ctx, authz.Settings, authz.View)
	if err != nil {
		return nil, "", err
	}
	return t.BusinessLogo(ctx, id)
}

// BusinessChoice is what the top bar's business switcher shows: the
// business the session works in and all of the account's businesses.
type BusinessChoice struct {
	Current crm.Business
	All     []crm.Business
}

// CurrentBusiness returns the business the acting session works in: the
// one chosen in the top bar, else the default. Every user may know it.
func (s *Service) CurrentBusiness(ctx context.Context) (BusinessChoice, error) {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return BusinessChoice{}, err
	}
	all, err := t.Businesses(ctx)
	if err != nil || len(all) == 0 {
		return BusinessChoice{}, err
	}
	sortBusinesses(all)
	c := BusinessChoice{Current: all[0], All: all}
	if len(all) > 1 && p.SessionID > 0 {
		id, err := t.SessionBusiness(ctx, p.SessionID)
		if err != nil && crm.ErrorCode(err) != crm.CodeNotFound {
			return BusinessChoice{}, err
		}
		if id != nil {
			for _, b := range all {
				if b.ID == *id {
					c.Current = b
				}
			}
		}
	}
	return c, nil
}

// SwitchBusiness makes the acting browser session work in another business
// of the account. Every user may switch; a business of another account is
// not found.
func (s *Service) SwitchBusiness(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Dashboard, authz.View)
	if err != nil {
		return err
	}
	if p.SessionID == 0 {
		return crm.Forbidden()
	}
	ok, err := t.HasBusiness(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return crm.NotFound()
	}
	return t.SetSessionBusiness(ctx, p.SessionID, id)
}
