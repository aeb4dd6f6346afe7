package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/emersion/go-vcard"

	"klientela/internal/crm"
)

// VCards writes contact cards (vCard 4.0, RFC 6350) with emersion/go-vcard,
// which folds lines and escapes values as the standard wants.
type VCards struct {
	enc *vcard.Encoder
}

// NewVCards starts a .vcf file on w.
func NewVCards(w io.Writer) *VCards { return &VCards{enc: vcard.NewEncoder(w)} }

// Client writes the card of a client: an organisation for a company, an
// individual for a person.
func (v *VCards) Client(c crm.Client) error {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldUID, "urn:klientela:client:"+strconv.FormatInt(c.ID, 10))
	if c.IsCompany() {
		card.SetKind(vcard.KindOrganization)
		card.SetValue(vcard.FieldOrganization, c.Name)
	} else {
		card.SetKind(vcard.KindIndividual)
		card.SetName(&vcard.Name{FamilyName: c.LastName, GivenName: c.FirstName})
	}
	card.SetValue(vcard.FieldFormattedName, displayName(c))
	for i, e := range c.Emails {
		addTyped(card, vcard.FieldEmail, e, i == 0)
	}
	for i, p := range c.Phones {
		addTyped(card, vcard.FieldTelephone, p, i == 0)
	}
	if c.Website != "" {
		card.SetValue(vcard.FieldURL, c.Website)
	}
	if c.Street != "" || c.City != "" || c.PostalCode != "" {
		card.SetAddress(&vcard.Address{StreetAddress: c.Street, Locality: c.City, PostalCode: c.PostalCode, Country: c.Country})
	}
	if c.Birthday != "" {
		card.SetValue(vcard.FieldBirthday, strings.ReplaceAll(c.Birthday, "-", ""))
	}
	if c.Notes != "" {
		card.SetValue(vcard.FieldNote, c.Notes)
	}
	return v.enc.Encode(card)
}

// Person writes the card of a contact person of company.
func (v *VCards) Person(company crm.Client, p crm.ClientPerson) error {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldUID, "urn:klientela:person:"+strconv.FormatInt(p.ID, 10))
	card.SetKind(vcard.KindIndividual)
	card.SetName(&vcard.Name{FamilyName: p.LastName, GivenName: p.FirstName})
	card.SetValue(vcard.FieldFormattedName, strings.TrimSpace(p.FirstName+" "+p.LastName))
	card.SetValue(vcard.FieldOrganization, company.Name)
	if p.Role != "" {
		card.SetValue(vcard.FieldTitle, p.Role)
	}
	if p.Email != "" {
		addTyped(card, vcard.FieldEmail, p.Email, true)
	}
	if p.Phone != "" {
		addTyped(card, vcard.FieldTelephone, p.Phone, true)
	}
	if p.Birthday != "" {
		card.SetValue(vcard.FieldBirthday, strings.ReplaceAll(p.Birthday, "-", ""))
	}
	if p.Notes != "" {
		card.SetValue(vcard.FieldNote, p.Notes)
	}
	return v.enc.Encode(card)
}

func addTyped(card vcard.Card, field, value string, preferred bool) {
	f := &vcard.Field{Value: value, Params: vcard.Params{}}
	if preferred {
		f.Params.Set(vcard.ParamPreferred, "1")
	}
	card.Add(field, f)
}

func displayName(c crm.Client) string {
	if c.Name != "" {
		return c.Name
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}
