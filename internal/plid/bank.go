package plid

import "strings"

// BankAccount is a validated bank account number.
type BankAccount struct {
	// Country is the ISO 3166 country code of the IBAN, e.g. "PL".
	Country string
	// BBAN is the basic bank account number: the IBAN without the country
	// code and the two check digits, upper case, without separators. For
	// Poland it is the last 24 digits of the NRB.
	BBAN string
	// IBAN is the full IBAN in electronic form: upper case, no separators,
	// e.g. "PL61109010140000071219812874".
	IBAN string
}

// ParseBankAccount validates a Polish NRB (Numer Rachunku Bankowego) or an
// IBAN and returns it split into its parts.
//
// It accepts surrounding white space, spaces and dashes anywhere, and lower
// case letters. 26 digits are read as an NRB, i.e. a Polish IBAN without the
// "PL"; anything else must start with a two-letter country code:
// "61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874",
// "pl61-1090-1014-0000-0712-1981-2874" and "DE89 3704 0044 0532 0130 00"
// are all accepted.
//
// Format rules ([ErrFormat]): the country must be in the SWIFT IBAN
// registry (ISO 13616; all EU/EEA countries, GB, CH, UA and about 50
// others), the length must be the one registered for the country, the check
// digits must be digits, and the BBAN must follow the registered structure
// (for Poland: 24 digits).
//
// Checksum rule ([ErrChecksum]): ISO 7064 MOD 97-10, i.e. the IBAN with its
// first four characters moved to the end and letters replaced by 10..35 must
// be 1 modulo 97. In addition the check digits must be 02..98: "00", "01"
// and "99" can pass the modulo test (as aliases of "97", "98" and "02") but
// are never issued.
func ParseBankAccount(s string) (BankAccount, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return BankAccount{}, errorf(ErrEmpty, "bank account number is empty")
	}
	c, ok := compact(t)
	if !ok {
		return BankAccount{}, errorf(ErrFormat, "bank account number may contain only letters, digits, spaces and dashes")
	}
	if len(c) == 26 && allDigits(c) {
		c = "PL" + c
	}
	if len(c) < 4 || !isUpper(c[0]) || !isUpper(c[1]) {
		return BankAccount{}, errorf(ErrFormat, "bank account number must be an NRB (26 digits) or an IBAN")
	}
	country := c[:2]
	structure, ok := ibanRegistry[country]
	if !ok {
		return BankAccount{}, errorf(ErrFormat, "IBAN country code is not in the IBAN registry")
	}
	if len(c) != 4+bbanLength(structure) {
		if country == "PL" {
			return BankAccount{}, errorf(ErrFormat, "Polish account number must have 26 digits")
		}
		return BankAccount{}, errorf(ErrFormat, "IBAN has the wrong length for its country")
	}
	if !isDigit(c[2]) || !isDigit(c[3]) || !bbanMatches(c[4:], structure) {
		return BankAccount{}, errorf(ErrFormat, "IBAN does not have the structure registered for its country")
	}
	if mod97(c) != 1 || c[2:4] == "00" || c[2:4] == "01" || c[2:4] == "99" {
		return BankAccount{}, errorf(ErrChecksum, "bank account check digits do not match")
	}
	return BankAccount{Country: country, BBAN: c[4:], IBAN: c}, nil
}

// isPolish reports whether a holds a Polish IBAN of the right length.
func (a BankAccount) isPolish() bool {
	return a.Country == "PL" && len(a.IBAN) == 28 && strings.HasPrefix(a.IBAN, "PL")
}

// Format returns the account number for display. A Polish account is shown
// as an NRB, two digits and then groups of four, without "PL":
// "61 1090 1014 0000 0712 1981 2874". Other accounts are shown as the IBAN
// in groups of four: "DE89 3704 0044 0532 0130 00". Both forms are accepted
// back by [ParseBankAccount]. The zero BankAccount gives "".
func (a BankAccount) Format() string {
	if a.isPolish() {
		return a.IBAN[2:4] + " " + groupRunes(a.IBAN[4:], 4)
	}
	return groupRunes(a.IBAN, 4)
}

// BankCode returns, for a Polish account, the 8-digit bank settlement
// number (numer rozliczeniowy: digits 3-10 of the NRB, which identify the
// bank and branch), e.g. "10901014". For other countries it returns "".
func (a BankAccount) BankCode() string {
	if !a.isPolish() {
		return ""
	}
	return a.IBAN[4:12]
}

// mod97 returns the ISO 7064 MOD 97-10 remainder of an IBAN made of ASCII
// digits and upper case letters (the first 4 characters moved to the end,
// letters A..Z read as 10..35).
func mod97(iban string) int {
	r := 0
	for _, c := range []byte(iban[4:] + iban[:4]) {
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A'+10)) % 97
		}
	}
	return r
}

// bbanLength returns the number of characters of a registry BBAN structure
// such as "8!n16!n".
func bbanLength(structure string) int {
	n, total := 0, 0
	for i := 0; i < len(structure); i++ {
		switch c := structure[i]; {
		case isDigit(c):
			n = n*10 + int(c-'0')
		case c == '!':
		default:
			total += n
			n = 0
		}
	}
	return total
}

// bbanMatches reports whether the upper case bban follows a registry
// structure: n is a digit, a an upper case letter, c a digit or letter.
func bbanMatches(bban, structure string) bool {
	pos, n := 0, 0
	for i := 0; i < len(structure); i++ {
		c := structure[i]
		switch {
		case isDigit(c):
			n = n*10 + int(c-'0')
			continue
		case c == '!':
			continue
		}
		for ; n > 0; n-- {
			if pos >= len(bban) {
				return false
			}
			b := bban[pos]
			switch {
			case c == 'n' && !isDigit(b),
				c == 'a' && !isUpper(b),
				c == 'c' && !isDigit(b) && !isUpper(b):
				return false
			}
			pos++
		}
	}
	return pos == len(bban)
}

// ibanRegistry maps country codes to the BBAN structure in the notation of
// the SWIFT IBAN registry (ISO 13616): "8!n" is exactly 8 digits, "4!a" 4
// upper case letters, "16!c" 16 letters or digits. The IBAN length is 4
// plus the BBAN length. Source: IBAN registry as transcribed in
// arthurdejong/python-stdnum@d848b6eb2df9be8e6ad89c95cb6cc6d44dc0f7af:stdnum/iban.dat.
var ibanRegistry = map[string]string{
	"AD": "4!n4!n12!c",          // Andorra, 24
	"AE": "3!n16!n",             // United Arab Emirates, 23
	"AL": "8!n16!c",             // Albania, 28
	"AT": "5!n11!n",             // Austria, 20
	"AZ": "4!a20!c",             // Azerbaijan, 28
	"BA": "3!n3!n8!n2!n",        // Bosnia and Herzegovina, 20
	"BE": "3!n7!n2!n",           // Belgium, 16
	"BG": "4!a4!n2!n8!c",        // Bulgaria, 22
	"BH": "4!a14!c",             // Bahrain, 22
	"BI": "5!n5!n11!n2!n",       // Burundi, 27
	"BR": "8!n5!n10!n1!a1!c",    // Brazil, 29
	"BY": "4!c4!n16!c",          // Belarus, 28
	"CH": "5!n12!c",             // Switzerland, 21
	"CR": "4!n14!n",             // Costa Rica, 22
	"CY": "3!n5!n16!c",          // Cyprus, 28
	"CZ": "4!n6!n10!n",          // Czechia, 24
	"DE": "8!n10!n",             // Germany, 22
	"DJ": "5!n5!n11!n2!n",       // Djibouti, 27
	"DK": "4!n9!n1!n",           // Denmark, 18
	"DO": "4!c20!n",             // Dominican Republic, 28
	"EE": "2!n14!n",             // Estonia, 20
	"EG": "4!n4!n17!n",          // Egypt, 29
	"ES": "4!n4!n1!n1!n10!n",    // Spain, 24
	"FI": "3!n11!n",             // Finland, 18
	"FK": "2!a12!n",             // Falkland Islands, 18
	"FO": "4!n9!n1!n",           // Faroe Islands, 18
	"FR": "5!n5!n11!c2!n",       // France, 27
	"GB": "4!a6!n8!n",           // United Kingdom, 22
	"GE": "2!a16!n",             // Georgia, 22
	"GI": "4!a15!c",             // Gibraltar, 23
	"GL": "4!n9!n1!n",           // Greenland, 18
	"GR": "3!n4!n16!c",          // Greece, 27
	"GT": "4!c20!c",             // Guatemala, 28
	"HN": "4!a20!n",             // Honduras, 28
	"HR": "7!n10!n",             // Croatia, 21
	"HU": "3!n4!n1!n15!n1!n",    // Hungary, 28
	"IE": "4!a6!n8!n",           // Ireland, 22
	"IL": "3!n3!n13!n",          // Israel, 23
	"IQ": "4!a3!n12!n",          // Iraq, 23
	"IS": "4!n2!n6!n10!n",       // Iceland, 26
	"IT": "1!a5!n5!n12!c",       // Italy, 27
	"JO": "4!a4!n18!c",          // Jordan, 30
	"KW": "4!a22!c",             // Kuwait, 30
	"KZ": "3!n13!c",             // Kazakhstan, 20
	"LB": "4!n20!c",             // Lebanon, 28
	"LC": "4!a24!c",             // Saint Lucia, 32
	"LI": "5!n12!c",             // Liechtenstein, 21
	"LT": "5!n11!n",             // Lithuania, 20
	"LU": "3!n13!c",             // Luxembourg, 20
	"LV": "4!a13!c",             // Latvia, 21
	"LY": "3!n3!n15!n",          // Libya, 25
	"MC": "5!n5!n11!c2!n",       // Monaco, 27
	"MD": "2!c18!c",             // Moldova, 24
	"ME": "3!n13!n2!n",          // Montenegro, 22
	"MK": "3!n10!c2!n",          // North Macedonia, 19
	"MN": "4!n12!n",             // Mongolia, 20
	"MR": "5!n5!n11!n2!n",       // Mauritania, 27
	"MT": "4!a5!n18!c",          // Malta, 31
	"MU": "4!a2!n2!n12!n3!n3!a", // Mauritius, 30
	"NI": "4!a20!n",             // Nicaragua, 28
	"NL": "4!a10!n",             // Netherlands, 18
	"NO": "4!n6!n1!n",           // Norway, 15
	"OM": "3!n16!c",             // Oman, 23
	"PK": "4!a16!c",             // Pakistan, 24
	"PL": "8!n16!n",             // Poland, 28
	"PS": "4!a21!c",             // Palestine, 29
	"PT": "4!n4!n11!n2!n",       // Portugal, 25
	"QA": "4!a21!c",             // Qatar, 29
	"RO": "4!a16!c",             // Romania, 24
	"RS": "3!n13!n2!n",          // Serbia, 22
	"RU": "9!n5!n15!c",          // Russia, 33
	"SA": "2!n18!c",             // Saudi Arabia, 24
	"SC": "4!a2!n2!n16!n3!a",    // Seychelles, 31
	"SD": "2!n12!n",             // Sudan, 18
	"SE": "3!n16!n1!n",          // Sweden, 24
	"SI": "5!n8!n2!n",           // Slovenia, 19
	"SK": "4!n6!n10!n",          // Slovakia, 24
	"SM": "1!a5!n5!n12!c",       // San Marino, 27
	"SO": "4!n3!n12!n",          // Somalia, 23
	"ST": "8!n11!n2!n",          // Sao Tome and Principe, 25
	"SV": "4!a20!n",             // El Salvador, 28
	"TL": "3!n14!n2!n",          // Timor-Leste, 23
	"TN": "2!n3!n13!n2!n",       // Tunisia, 24
	"TR": "5!n1!n16!c",          // Turkey, 26
	"UA": "6!n19!c",             // Ukraine, 29
	"VA": "3!n15!n",             // Vatican City State, 22
	"VG": "4!a16!n",             // British Virgin Islands, 24
	"XK": "4!n10!n2!n",          // Kosovo, 20
	"YE": "4!a4!n18!c",          // Yemen, 30
}
