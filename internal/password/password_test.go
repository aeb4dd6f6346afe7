package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Fast.Hash("zażółć gęślą jaźń")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected PHC string %q", h)
	}
	ok, rehash, err := Fast.Verify("zażółć gęślą jaźń", h)
	if err != nil || !ok || rehash {
		t.Fatalf("Verify(right) = %v, %v, %v", ok, rehash, err)
	}
	ok, _, err = Fast.Verify("zazolc gesla jazn", h)
	if err != nil || ok {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	// A hash made with other parameters still verifies but asks for a re-hash.
	ok, rehash, err = Default.Verify("zażółć gęślą jaźń", h)
	if err != nil || !ok || !rehash {
		t.Fatalf("Verify(other params) = %v, %v, %v", ok, rehash, err)
	}
	h2, _ := Fast.Hash("zażółć gęślą jaźń")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, phc := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=x,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!!$a2V5", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$"} {
		if _, _, err := Fast.Verify("x", phc); err != ErrMalformed {
			t.Errorf("Verify(%q) err = %v, want ErrMalformed", phc, err)
		}
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Default.Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDummy(t *testing.T) {
	d := Default.Dummy()
	ok, rehash, err := Default.Verify("anything", d)
	if err != nil || ok || rehash {
		t.Fatalf("Verify(dummy) = %v, %v, %v; want a well-formed hash nothing matches", ok, rehash, err)
	}
	if Default.Dummy() == d {
		t.Fatal("two dummies are equal")
	}
}
