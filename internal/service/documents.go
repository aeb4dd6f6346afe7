package service

import (
	"bytes"
	"context"
	"html"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"

	"klientela/internal/authz"
	"klientela/internal/crm"
	"klientela/internal/plid"
	"klientela/internal/store"
)

// Limits of documents.
const (
	MaxDocumentTitle = 200
	// MaxDocumentBody is the largest body of a document, in bytes of HTML.
	// Images are files, not data: URLs, so this is a great deal of text.
	MaxDocumentBody = 512 << 10
	// MaxDocumentImage is the largest image uploaded into a document.
	MaxDocumentImage = 10 << 20
	// AutosaveWindow folds the autosaves of one user into one version while
	// they come less than this apart from the version's start.
	AutosaveWindow      = 10 * time.Minute
	maxDocumentVersions = 200 // versions a list shows
)

// --- sanitising --------------------------------------------------------------

// The classes the editor (Quill) writes: alignment and indentation.
var editorClass = regexp.MustCompile(`^(ql-align-(center|right|justify)|ql-indent-[1-8])( (ql-align-(center|right|justify)|ql-indent-[1-8]))?$`)

// documentImageURL is the only image source a document may have: an image
// uploaded into a document of the account (see DocumentImage).
var documentImageURL = regexp.MustCompile(`^/document-images/[0-9]{1,18}$`)

// documentPolicy allows exactly what the editor produces: headings,
// paragraphs, bold/italic/underline/strike, lists, tables, links (http,
// https, mailto; rel="noopener" added), images of our own, alignment and
// indentation as the editor's classes. Everything else goes: scripts,
// event handlers, styles, SVG, iframes, forms, javascript: and data: URLs.
func documentPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h1", "h2", "h3", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote",
		"table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("class").Matching(editorClass).OnElements("p", "h1", "h2", "h3", "li", "blockquote", "td", "th")
	p.AllowAttrs("data-row").Matching(regexp.MustCompile(`^row-[a-z0-9]{1,16}$`)).OnElements("td", "th")
	p.AllowAttrs("data-list").Matching(regexp.MustCompile(`^(bullet|ordered)$`)).OnElements("li")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]?$`)).OnElements("td", "th")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true) // our own pages and images; schemes other than the three above are refused
	p.RequireParseableURLs(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // adds rel="noopener"
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AllowAttrs("src").Matching(documentImageURL).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	return p
}

var docPolicy = documentPolicy()

// SanitizeDocumentHTML cleans document HTML with the allow-list; it runs
// before a body is stored and again before one is shown.
func SanitizeDocumentHTML(s string) string {
	out := docPolicy.Sanitize(s)
	// An <img> whose src was refused stays as a bare <img>: drop it.
	return bareImg.ReplaceAllString(out, "")
}

var bareImg = regexp.MustCompile(`<img(\s+alt="[^"]*")?\s*/?>`)

// DocumentText is the text of document HTML, block by block on separate
// lines, for search and for the plain-text view.
func DocumentText(s string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if z.Err() == io.EOF {
				return strings.TrimSpace(b.String())
			}
			return strings.TrimSpace(b.String())
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "p", "br", "h1", "h2", "h3", "li", "tr", "blockquote":
				b.WriteByte('\n')
			case "td", "th":
				b.WriteByte(' ')
			}
		}
	}
}

// --- merge fields ------------------------------------------------------------

// MergeFields are the fields a template may use, in the order the editor
// lists them.
var MergeFields = []string{"klient.nazwa", "klient.nip", "klient.adres", "klient.email", "klient.telefon",
	"firma.nazwa", "firma.nip", "firma.adres", "firma.konto", "pracownik.imie_nazwisko", "dzis"}

var mergeField = regexp.MustCompile(`\{\{\s*([^{}<>]{1,60}?)\s*\}\}`)

// unknownMergeFields lists the merge fields of a body that do not exist.
func unknownMergeFields(body string) []string {
	var out []string
	for _, m := range mergeField.FindAllStringSubmatch(html.UnescapeString(body), -1) {
		if !slices.Contains(MergeFields, m[1]) && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

var monthsGenitive = [...]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
	"września", "października", "listopada", "grudnia"}

// polishDate is "26 listopada 2026".
func polishDate(t time.Time) string {
	y, m, d := t.Date()
	return strconv.Itoa(d) + " " + monthsGenitive[m-1] + " " + strconv.Itoa(y)
}

func address(street, postal, city string) string {
	tail := strings.TrimSpace(postal + " " + city)
	return strings.Trim(strings.TrimSpace(street)+", "+tail, ", ")
}

// fillMergeFields puts the values into body, HTML-escaped.
func fillMergeFields(body string, values map[string]string) string {
	return mergeField.ReplaceAllStringFunc(body, func(m string) string {
		name := mergeField.FindStringSubmatch(m)[1]
		if v, ok := values[name]; ok {
			return html.EscapeString(v)
		}
		return m
	})
}

// --- input -------------------------------------------------------------------

// DocumentInput is a document as a form or the API sends it.
type DocumentInput struct {
	Title      string
	BodyHTML   string
	ClientID   *int64
	BusinessID *int64
	Tags       []string
	IsTemplate bool
}

// DocumentInputOf turns a document back into the input that would save it
// unchanged (a PATCH starts from it).
func DocumentInputOf(d crm.Document) DocumentInput {
	return DocumentInput{Title: d.Title, BodyHTML: d.BodyHTML, ClientID: d.ClientID, BusinessID: d.BusinessID,
		Tags: d.Tags, IsTemplate: d.IsTemplate}
}

// documentFrom checks the input into d (whose client and business are
// checked only when they change).
func (s *Service) documentFrom(ctx context.Context, t *store.Tenant, p *crm.Principal, in DocumentInput, d *crm.Document, old *crm.Document) error {
	var v crm.Validation
	d.Title = cleanText(in.Title)
	checkRequiredText(&v, "title", d.Title, MaxDocumentTitle)
	if len(in.BodyHTML) > MaxDocumentBody {
		v.Add("body_html", "err.document_too_large", "max", FormatBytes(MaxDocumentBody))
	} else {
		d.BodyHTML = SanitizeDocumentHTML(in.BodyHTML)
	}
	d.IsTemplate = in.IsTemplate
	if d.IsTemplate && !v.Has("body_html") {
		if unknown := unknownMergeFields(d.BodyHTML); len(unknown) > 0 {
			for i := range unknown {
				unknown[i] = "{{" + unknown[i] + "}}"
			}
			v.Add("body_html", "err.document_merge_unknown", "fields", strings.Join(unknown, ", "))
		}
	}
	d.Tags = clientTagsFrom(&v, in.Tags)
	d.ClientID, d.BusinessID = in.ClientID, in.BusinessID
	if d.ClientID != nil && (old == nil || old.ClientID == nil || *old.ClientID != *d.ClientID) {
		if _, err := s.visibleClient(ctx, t, p, *d.ClientID); crm.ErrorCode(err) == crm.CodeNotFound {
			v.Add("client_id", "err.contact_client_unknown")
		} else if err != nil {
			return err
		}
	}
	if d.BusinessID != nil && (old == nil || old.BusinessID == nil || *old.BusinessID != *d.BusinessID) {
		if ok, err := t.HasBusiness(ctx, *d.BusinessID); err != nil {
			return err
		} else if !ok {
			v.Add("business_id", "err.business_unknown")
		}
	}
	return v.Err()
}

// visibleClient returns a client the user may see (view access to clients,
// within "only mine", not in the trash); anything else is not found.
func (s *Service) visibleClient(ctx context.Context, t *store.Tenant, p *crm.Principal, id int64) (crm.Client, error) {
	if !authz.Can(p, authz.Clients, authz.View) {
		return crm.Client{}, crm.NotFound()
	}
	sc := clientScope{own: authz.OwnOnly(p, authz.Clients)}
	if p.User.EmployeeID != nil {
		sc.employee = *p.User.EmployeeID
	}
	c, err := t.Client(ctx, id)
	if err != nil {
		return crm.Client{}, err
	}
	if !sc.sees(c) || c.DeletedAt != nil {
		return crm.Client{}, crm.NotFound()
	}
	return c, nil
}

// showDocumentNames blanks the client's name for a user who may not see
// clients.
func showDocumentNames(p *crm.Principal, ds []crm.Document) {
	if authz.Can(p, authz.Clients, authz.View) {
		return
	}
	for i := range ds {
		ds[i].ClientName = ""
	}
}

func documentFields(d crm.Document) []field {
	return []field{{"title", d.Title}, {"client_id", idText(d.ClientID)}, {"business_id", idText(d.BusinessID)},
		{"tags", strings.Join(d.Tags, ", ")}, {"is_template", strconv.FormatBool(d.IsTemplate)},
		{"body", strconv.Itoa(utf8.RuneCountInString(DocumentText(d.BodyHTML))) + " zn."}}
}

// --- reading -----------------------------------------------------------------

// DocumentQuery is a page of the document list.
type DocumentQuery struct {
	Q        string
	ClientID int64 // only this client's documents (who must be visible)
	Tag      string
	Template *bool
	Sort     string
	Offset   int
	Limit    int
}

// DocumentCountBound is where Documents stops counting for q (see
// countBound): ListCountMax, SearchCountMax for a search; 0, no bound,
// when the count is kept (store.DocumentCountKept: no search, no client).
func DocumentCountBound(q DocumentQuery) int {
	if store.DocumentCountKept(store.DocumentFilter{Q: q.Q, ClientID: q.ClientID, Tag: q.Tag}) {
		return 0
	}
	return countBound(searchOr(q.Q, ListCountMax), q.Offset, q.Limit)
}

// Documents lists documents (view access to documents) and counts those
// that match, up to DocumentCountBound(q)+1 (all when it is 0). Asking for the documents of a client the user may not see is not
// found.
func (s *Service) Documents(ctx context.Context, q DocumentQuery) ([]crm.Document, int, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return nil, 0, err
	}
	if q.ClientID > 0 {
		if _, err := s.visibleClient(ctx, t, p, q.ClientID); err != nil {
			return nil, 0, err
		}
	}
	ds, total, err := t.Documents(ctx, store.DocumentFilter{Q: q.Q, ClientID: q.ClientID, Tag: q.Tag, Template: q.Template,
		Sort: q.Sort, Offset: max(0, q.Offset), Limit: Page{Limit: q.Limit}.limit(), CountMax: DocumentCountBound(q)})
	if err != nil {
		return nil, 0, err
	}
	showDocumentNames(p, ds)
	return ds, total, nil
}

// Document returns one document with its (sanitised) body (view access to
// documents).
func (s *Service) Document(ctx context.Context, id int64) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return crm.Document{}, err
	}
	d, err := t.Document(ctx, id)
	if err != nil {
		return crm.Document{}, err
	}
	d.BodyHTML = SanitizeDocumentHTML(d.BodyHTML)
	ds := []crm.Document{d}
	showDocumentNames(p, ds)
	return ds[0], nil
}

// DocumentTags lists the account's document tags, for suggestions.
func (s *Service) DocumentTags(ctx context.Context) ([]string, error) {
	_, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return nil, err
	}
	return t.DocumentTags(ctx, 100)
}

// DocumentBusiness is the business whose header a document is printed
// under: its own, else its client's, else the account's default.
func (s *Service) DocumentBusiness(ctx context.Context, d crm.Document) (crm.Business, error) {
	_, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return crm.Business{}, err
	}
	return documentBusiness(ctx, t, d)
}

func documentBusiness(ctx context.Context, t *store.Tenant, d crm.Document) (crm.Business, error) {
	id := d.BusinessID
	if id == nil && d.ClientID != nil {
		if c, err := t.Client(ctx, *d.ClientID); err == nil {
			id = c.BusinessID
		}
	}
	if id != nil {
		if b, err := t.Business(ctx, *id); err == nil {
			return b, nil
		}
	}
	all, err := t.Businesses(ctx)
	if err != nil || len(all) == 0 {
		return crm.Business{}, err
	}
	sortBusinesses(all)
	return all[0], nil
}

// --- changing ----------------------------------------------------------------

// CreateDocument adds a document and its first version (edit access to
// documents).
func (s *Service) CreateDocument(ctx context.Context, in DocumentInput) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.Edit)
	if err != nil {
		return crm.Document{}, err
	}
	now := s.now()
	uid := p.User.ID
	d := crm.Document{AccountID: t.AccountID(), CreatedBy: &uid, UpdatedBy: &uid, CreatedAt: now, UpdatedAt: now}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if err := s.documentFrom(ctx, t, p, in, &d, nil); err != nil {
			return err
		}
		if d.ID, err = t.CreateDocument(ctx, d, DocumentText(d.BodyHTML)); err != nil {
			return err
		}
		if _, err := t.AddDocumentVersion(ctx, crm.DocumentVersion{DocumentID: d.ID, Title: d.Title, BodyHTML: d.BodyHTML,
			CreatedBy: &uid, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return record(ctx, t, p, now, "document", d.ID, crm.ActionCreate, d.Title, created(documentFields(d)))
	})
	if err != nil {
		return crm.Document{}, err
	}
	return s.Document(ctx, d.ID)
}

// UpdateDocument saves a document (edit access to documents). A save that
// changes the body keeps a version; an autosave within AutosaveWindow of
// the same user's previous autosave version replaces that version instead.
func (s *Service) UpdateDocument(ctx context.Context, id int64, in DocumentInput, autosave bool) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.Edit)
	if err != nil {
		return crm.Document{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Document(ctx, id)
		if err != nil {
			return err
		}
		d := old
		if err := s.documentFrom(ctx, t, p, in, &d, &old); err != nil {
			return err
		}
		changes := diff(documentFields(old), documentFields(d))
		bodyChanged := d.BodyHTML != old.BodyHTML || d.Title != old.Title
		if len(changes) == 0 && !bodyChanged {
			return nil
		}
		uid := p.User.ID
		d.UpdatedBy, d.UpdatedAt = &uid, now
		if err := t.UpdateDocument(ctx, d, DocumentText(d.BodyHTML)); err != nil {
			return err
		}
		if bodyChanged {
			if err := s.keepVersion(ctx, t, p, d, autosave, nil, now); err != nil {
				return err
			}
		}
		if autosave && len(changes) == 1 && changes[0].Field == "body" {
			return nil // typing is not history: the versions keep it
		}
		return record(ctx, t, p, now, "document", id, crm.ActionUpdate, d.Title, changes)
	})
	if err != nil {
		return crm.Document{}, err
	}
	return s.Document(ctx, id)
}

// keepVersion records the document's new body as a version, or folds an
// autosave into the user's previous autosave version of the last minutes.
func (s *Service) keepVersion(ctx context.Context, t *store.Tenant, p *crm.Principal, d crm.Document, autosave bool, from *int64, now time.Time) error {
	uid := p.User.ID
	if autosave {
		last, err := t.LatestDocumentVersion(ctx, d.ID)
		if err != nil && crm.ErrorCode(err) != crm.CodeNotFound {
			return err
		}
		if err == nil && last.Autosave && last.CreatedBy != nil && *last.CreatedBy == uid &&
			now.Sub(last.CreatedAt) < AutosaveWindow {
			last.Title, last.BodyHTML, last.UpdatedAt = d.Title, d.BodyHTML, now
			return t.UpdateDocumentVersion(ctx, last)
		}
	}
	_, err := t.AddDocumentVersion(ctx, crm.DocumentVersion{DocumentID: d.ID, Title: d.Title, BodyHTML: d.BodyHTML,
		Autosave: autosave, RestoredFrom: from, CreatedBy: &uid, CreatedAt: now, UpdatedAt: now})
	return err
}

// DeleteDocument removes a document with its versions (full access to
// documents); its files stay, attached to nothing.
func (s *Service) DeleteDocument(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Documents, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		d, err := t.Document(ctx, id)
		if err != nil {
			return err
		}
		if _, err := t.DetachDocumentFiles(ctx, id, now); err != nil {
			return err
		}
		if err := t.DeleteDocument(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "document", id, crm.ActionDelete, d.Title, deleted(documentFields(d)))
	})
}

// --- versions ----------------------------------------------------------------

// DocumentVersions lists a document's versions, the newest first (view
// access to documents).
func (s *Service) DocumentVersions(ctx context.Context, id int64) ([]crm.DocumentVersion, error) {
	_, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return nil, err
	}
	if _, err := t.Document(ctx, id); err != nil {
		return nil, err
	}
	return t.DocumentVersions(ctx, id, maxDocumentVersions)
}

// DocumentVersion returns one version with its (sanitised) body.
func (s *Service) DocumentVersion(ctx context.Context, id, versionID int64) (crm.DocumentVersion, error) {
	_, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return crm.DocumentVersion{}, err
	}
	v, err := t.DocumentVersion(ctx, id, versionID)
	v.BodyHTML = SanitizeDocumentHTML(v.BodyHTML)
	return v, err
}

// RestoreDocumentVersion makes an earlier version the document's body
// again (edit access to documents); the restore is a new version.
func (s *Service) RestoreDocumentVersion(ctx context.Context, id, versionID int64) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.Edit)
	if err != nil {
		return crm.Document{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.Document(ctx, id)
		if err != nil {
			return err
		}
		v, err := t.DocumentVersion(ctx, id, versionID)
		if err != nil {
			return err
		}
		d := old
		uid := p.User.ID
		d.Title, d.BodyHTML, d.UpdatedBy, d.UpdatedAt = v.Title, SanitizeDocumentHTML(v.BodyHTML), &uid, now
		if err := t.UpdateDocument(ctx, d, DocumentText(d.BodyHTML)); err != nil {
			return err
		}
		if err := s.keepVersion(ctx, t, p, d, false, &versionID, now); err != nil {
			return err
		}
		changes := diff(documentFields(old), documentFields(d))
		changes = append(changes, crm.Change{Field: "version", New: strconv.FormatInt(versionID, 10)})
		return record(ctx, t, p, now, "document", id, crm.ActionUpdate, d.Title, changes)
	})
	if err != nil {
		return crm.Document{}, err
	}
	return s.Document(ctx, id)
}

// --- templates ---------------------------------------------------------------

// RenderTemplate fills a template's merge fields for a client the user may
// see (view access to documents); a client of another account, or one the
// user may not see, is not found. It returns the filled title and body.
func (s *Service) RenderTemplate(ctx context.Context, id, clientID int64) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return crm.Document{}, err
	}
	return s.renderTemplate(ctx, t, p, id, clientID)
}

func (s *Service) renderTemplate(ctx context.Context, t *store.Tenant, p *crm.Principal, id, clientID int64) (crm.Document, error) {
	d, err := t.Document(ctx, id)
	if err != nil {
		return crm.Document{}, err
	}
	c, err := s.visibleClient(ctx, t, p, clientID)
	if err != nil {
		return crm.Document{}, err
	}
	if d.BusinessID == nil {
		d.BusinessID = c.BusinessID
	}
	b, err := documentBusiness(ctx, t, d)
	if err != nil {
		return crm.Document{}, err
	}
	account := ""
	if b.BankAccount != "" {
		if a, err := plid.ParseBankAccount(b.BankAccount); err == nil {
			account = a.Format()
		} else {
			account = b.BankAccount
		}
	}
	employee := p.User.Name
	if p.User.EmployeeID != nil {
		if e, err := t.Employee(ctx, *p.User.EmployeeID); err == nil {
			employee = e.FullName()
		}
	}
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	values := map[string]string{
		"klient.nazwa": c.Name, "klient.nip": plid.FormatNIP(c.NIP), "klient.adres": address(c.Street, c.PostalCode, c.City),
		"klient.email": first(c.Emails), "klient.telefon": first(c.Phones),
		"firma.nazwa": b.Name, "firma.nip": plid.FormatNIP(b.NIP), "firma.adres": address(b.Street, b.PostalCode, b.City),
		"firma.konto": account, "pracownik.imie_nazwisko": employee, "dzis": polishDate(s.now().In(accountZone(p))),
	}
	d.BodyHTML = SanitizeDocumentHTML(fillMergeFields(d.BodyHTML, values))
	d.Title = strings.TrimSpace(strings.ReplaceAll(fillMergeFields(html.EscapeString(d.Title), values), "\n", " "))
	d.Title = html.UnescapeString(d.Title)
	d.ClientID, d.ClientName = &c.ID, c.Name
	return d, nil
}

// CreateFromTemplate makes a new document for a client from a template,
// with its merge fields filled (edit access to documents).
func (s *Service) CreateFromTemplate(ctx context.Context, templateID, clientID int64) (crm.Document, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.Edit)
	if err != nil {
		return crm.Document{}, err
	}
	tpl, err := t.Document(ctx, templateID)
	if err != nil {
		return crm.Document{}, err
	}
	if !tpl.IsTemplate {
		var v crm.Validation
		v.Add("template_id", "err.document_not_template")
		return crm.Document{}, v.Err()
	}
	d, err := s.renderTemplate(ctx, t, p, templateID, clientID)
	if err != nil {
		if crm.ErrorCode(err) == crm.CodeNotFound {
			var v crm.Validation
			v.Add("client_id", "err.contact_client_unknown")
			return crm.Document{}, v.Err()
		}
		return crm.Document{}, err
	}
	title := d.Title
	if !strings.Contains(title, d.ClientName) {
		title += " — " + d.ClientName
	}
	if utf8.RuneCountInString(title) > MaxDocumentTitle {
		title = string([]rune(title)[:MaxDocumentTitle])
	}
	return s.CreateDocument(ctx, DocumentInput{Title: title, BodyHTML: d.BodyHTML, ClientID: d.ClientID,
		BusinessID: tpl.BusinessID, Tags: tpl.Tags})
}

// --- images ------------------------------------------------------------------

// UploadDocumentImage stores an image uploaded into a document as a file
// attached to it (edit access to documents; the account's quota counts
// it). Anything whose bytes are not a whole PNG, JPEG, GIF or WebP image
// (a damaged one too) is refused and nothing stays.
func (s *Service) UploadDocumentImage(ctx context.Context, documentID int64, name string, r io.Reader) (crm.File, error) {
	p, t, err := s.actor(ctx, authz.Documents, authz.Edit)
	if err != nil {
		return crm.File{}, err
	}
	if _, err := t.Document(ctx, documentID); err != nil {
		return crm.File{}, err
	}
	u, err := s.beginUpload(ctx, p, t, FileTarget{DocumentID: &documentID})
	if err != nil {
		return crm.File{}, err
	}
	defer u.Abort(ctx)
	u.maxSize = MaxDocumentImage
	// An image is small enough to check whole before it is stored: read
	// one byte past the limit so that Add still says "too large".
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentImage+1))
	if err != nil {
		return crm.File{}, err
	}
	if err := u.Add(ctx, name, bytes.NewReader(data)); err != nil {
		return crm.File{}, err
	}
	switch u.files[0].MediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		if !checkImage(data) {
			return crm.File{}, fileError("err.document_image_type")
		}
	default:
		return crm.File{}, fileError("err.document_image_type")
	}
	fs, err := u.Commit(ctx)
	if err != nil {
		return crm.File{}, err
	}
	return fs[0], nil
}

// DocumentImage opens an image uploaded into a document (view access to
// documents): only files that are images and attached to a document.
func (s *Service) DocumentImage(ctx context.Context, fileID int64) (crm.File, io.ReadSeekCloser, error) {
	_, t, err := s.actor(ctx, authz.Documents, authz.View)
	if err != nil {
		return crm.File{}, nil, err
	}
	f, err := t.File(ctx, fileID)
	if err != nil {
		return crm.File{}, nil, err
	}
	if f.DocumentID == nil || !f.IsImage() {
		return crm.File{}, nil, crm.NotFound()
	}
	if s.opt.Blob == nil {
		return crm.File{}, nil, errNoBlobStore
	}
	o, err := s.opt.Blob.Open(ctx, f.BlobKey)
	if err != nil {
		return crm.File{}, nil, err
	}
	return f, o, nil
}
