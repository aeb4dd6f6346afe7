package service

import (
	"strings"
	"testing"
	"time"
)

func TestSanitizeDocumentHTML(t *testing.T) {
	keep := []string{
		`<h1 class="ql-align-center">Umowa</h1>`,
		`<p>Ala <strong>ma</strong> <em>kota</em>, <u>psa</u> i <s>rybkę</s></p>`,
		`<ul><li>jeden</li><li class="ql-indent-1">dwa</li></ul>`,
		`<ol><li>pierwszy</li></ol>`,
		`<table><tbody><tr><td data-row="row-abc1">a</td><td>b</td></tr></tbody></table>`,
		`<img src="/document-images/12" alt="logo">`,
		`<a href="mailto:ala@example.pl">napisz</a>`,
	}
	for _, in := range keep {
		if got := SanitizeDocumentHTML(in); got != in {
			t.Errorf("Sanitize(%q) = %q, want it kept", in, got)
		}
	}
	if got := SanitizeDocumentHTML(`<a href="https://example.pl">x</a>`); !strings.Contains(got, `rel="`) ||
		!strings.Contains(got, "noopener") {
		t.Errorf("external link without rel=noopener: %q", got)
	}
	bad := map[string]string{
		`<script>window.pwned=1</script><p>ok</p>`:                 "script",
		`<img src=x onerror="window.pwned=1">`:                     "onerror",
		`<a href="javascript:window.pwned=1">x</a>`:                "javascript:",
		`<svg><script>window.pwned=1</script></svg>`:               "svg",
		`<p style="width: expression(alert(1))">x</p>`:             "expression",
		`<iframe src="https://evil.example"></iframe>`:             "iframe",
		`<style>body{background:url(javascript:x)}</style>`:        "style",
		`<img src="https://evil.example/t.png">`:                   "evil.example",
		`<img src="data:image/png;base64,AAAA">`:                   "data:",
		`<p class="evil ql-align-center">x</p>`:                    "evil",
		`<a href="JaVaScRiPt:alert(1)">x</a>`:                      "alert",
		`<object data="x.swf"></object><embed src="x.swf">`:        "swf",
		`<form action="https://evil.example"><input></form>`:       "form",
		`<math><mtext><img src=x onerror=alert(1)></mtext></math>`: "onerror",
	}
	for in, word := range bad {
		if got := SanitizeDocumentHTML(in); strings.Contains(strings.ToLower(got), strings.ToLower(word)) {
			t.Errorf("Sanitize(%q) = %q, still has %q", in, got, word)
		}
	}
}

func TestMergeFields(t *testing.T) {
	body := `<p>Dla {{klient.nazwa}}, NIP {{ klient.nip }}; {{klient.wiek}} i {{ firma.foo }} {{klient.wiek}}</p>`
	got := unknownMergeFields(body)
	if strings.Join(got, ",") != "klient.wiek,firma.foo" {
		t.Errorf("unknown = %v", got)
	}
	out := fillMergeFields(body, map[string]string{"klient.nazwa": `<b>"A&B"</b>`, "klient.nip": "525-000-00-00"})
	if !strings.Contains(out, "Dla &lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;, NIP 525-000-00-00;") {
		t.Errorf("filled = %q", out)
	}
	if d := polishDate(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)); d != "26 listopada 2026" {
		t.Errorf("polishDate = %q", d)
	}
	if got := DocumentText(`<h1>Tytuł</h1><p>Ala&nbsp;ma</p><ul><li>a</li><li>b</li></ul>`); got != "Tytuł\n\nAla\u00a0ma\n\n\na\n\nb" {
		t.Logf("text = %q", got)
	}
}
