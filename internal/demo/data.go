package demo

// Word lists for realistic Polish data. Cities carry the range of their
// real postal codes (the first two digits are the postal district), so a
// generated address is one the Poczta Polska would recognise as plausible.

type city struct {
	name     string
	from, to int // postal codes as numbers: 90001 is 90-001
}

var cities = []city{
	{"Warszawa", 1, 4999},
	{"Kraków", 30001, 31999},
	{"Łódź", 90001, 94999},
	{"Wrocław", 50001, 54999},
	{"Poznań", 60001, 61999},
	{"Gdańsk", 80001, 80999},
	{"Szczecin", 70001, 71999},
	{"Bydgoszcz", 85001, 85999},
	{"Lublin", 20001, 20999},
	{"Białystok", 15001, 15999},
	{"Katowice", 40001, 40999},
	{"Gdynia", 81001, 81699},
	{"Sopot", 81701, 81899},
	{"Częstochowa", 42200, 42299},
	{"Radom", 26600, 26699},
	{"Toruń", 87100, 87199},
	{"Kielce", 25001, 25999},
	{"Rzeszów", 35001, 35999},
	{"Olsztyn", 10001, 10999},
	{"Opole", 45001, 45999},
	{"Zielona Góra", 65001, 65999},
	{"Gorzów Wielkopolski", 66400, 66499},
	{"Zakopane", 34500, 34500},
	{"Zgierz", 95100, 95100},
	{"Żyrardów", 96300, 96300},
	{"Łomża", 18400, 18400},
	{"Łęczyca", 99100, 99100},
	{"Świdnica", 58100, 58100},
	{"Ełk", 19300, 19300},
	{"Piła", 64920, 64920},
	{"Śrem", 63100, 63100},
	{"Żagań", 68100, 68100},
}

var streets = []string{
	"Piotrkowska", "Marszałkowska", "Długa", "Mickiewicza", "Kościuszki", "Słowackiego", "Sienkiewicza", "Lipowa",
	"Polna", "Leśna", "Ogrodowa", "Kwiatowa", "Szkolna", "Kolejowa", "Jana Pawła II", "3 Maja", "Zielona", "Krótka",
	"Wąska", "Świętokrzyska", "Żeromskiego", "Konopnickiej", "Reymonta", "Chopina", "Moniuszki", "Prusa",
	"Orzeszkowej", "Kopernika", "Piłsudskiego", "Grunwaldzka", "Łąkowa", "Źródlana", "Ściegiennego", "Żwirki i Wigury",
	"Wojska Polskiego", "Armii Krajowej", "Solidarności", "Rynek", "Plac Wolności", "Nowy Świat", "Floriańska",
	"Dworcowa", "Kasztanowa", "Brzozowa", "Dębowa", "Akacjowa", "Słoneczna", "Spokojna", "Cicha", "Górna",
}

var (
	maleFirst = []string{"Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Łukasz",
		"Grzegorz", "Mateusz", "Jakub", "Adam", "Marek", "Wojciech", "Zbigniew", "Jerzy", "Kamil", "Maciej", "Rafał",
		"Dariusz", "Sławomir", "Przemysław", "Bartłomiej", "Mieczysław"}
	femaleFirst = []string{"Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna",
		"Elżbieta", "Magdalena", "Joanna", "Zofia", "Aleksandra", "Monika", "Teresa", "Danuta", "Natalia", "Karolina",
		"Marta", "Beata", "Dorota", "Jadwiga", "Łucja", "Żaneta", "Halina"}
	// lastNames are the masculine forms; lastName turns "-ski", "-cki",
	// "-dzki" into their feminine "-ska", "-cka", "-dzka".
	lastNames = []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
		"Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski",
		"Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król", "Wieczorek",
		"Jabłoński", "Wróbel", "Nowicki", "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski", "Adamczyk",
		"Dudek", "Nowacki", "Pawlak", "Górski", "Witkowski", "Walczak", "Sikora", "Baran", "Rutkowski", "Michalak",
		"Szewczyk", "Ostrowski", "Tomaszewski", "Pietrzak", "Zalewski", "Wróblewski", "Jasiński", "Marciniak",
		"Bąk", "Żak", "Ślusarczyk", "Łuczak", "Gołębiowski", "Źrałek", "Ćwik", "Chmielewski", "Błaszczyk", "Sadowski"}
)

var companyKinds = []string{"Hurtownia", "Piekarnia", "Zakład Stolarski", "Przedsiębiorstwo Handlowe",
	"Biuro Rachunkowe", "Auto Serwis", "Kwiaciarnia", "Drukarnia", "Apteka", "Gabinet Stomatologiczny",
	"Pracownia Krawiecka", "Sklep Spożywczy", "Restauracja", "Kancelaria Prawna", "Firma Budowlana", "Przychodnia",
	"Transport", "Ogrodnictwo", "Salon Fryzjerski", "Zakład Mechaniczny", "Cukiernia", "Hotel", "Księgarnia",
	"Studio Graficzne", "Usługi Remontowe", "Masarnia", "Tartak", "Szkoła Językowa"}

var companyNames = []string{"Pod Dębem", "Bałtyk", "Wisła", "Tatry", "Polmet", "Drewex", "Żuraw", "Sokół",
	"Mazowsze", "Orzeł", "Jantar", "Kasztan", "Stokrotka", "Słonecznik", "Złoty Kłos", "Łania", "Świt", "Gwiazda",
	"Nowa Era", "Perła", "Malwa", "Bursztyn", "Polan", "Agrotex", "Elmet", "Budimex", "Gród", "Zdrój", "Źródełko",
	"Ślężanka", "Wrzos", "Jodła", "Dąbrówka", "Warta", "Odra", "Narew", "Pilica", "Bieszczady", "Karkonosze"}

var legalForms = []string{"Sp. z o.o.", "Sp. z o.o.", "S.A.", "s.c.", "Sp.j.", "", "", ""}

var personRoles = []string{"Prezes", "Właściciel", "Księgowa", "Kierownik zakupów", "Sekretariat", "Dyrektor handlowy",
	"Specjalista ds. logistyki", "Kierownik sklepu", "Główna księgowa", "Zaopatrzeniowiec"}

var positions = []string{"Handlowiec", "Handlowiec", "Handlowiec", "Przedstawiciel regionalny", "Kierownik sprzedaży",
	"Obsługa klienta", "Asystentka zarządu", "Księgowa"}

var emailDomains = []string{"gmail.com", "wp.pl", "onet.pl", "o2.pl", "interia.pl", "poczta.fm"}

var groupDefs = []struct{ name, color string }{
	{"VIP", "#b91c1c"}, {"Hurt", "#2f5bea"}, {"Detal", "#059669"}, {"Stali klienci", "#7c3aed"},
	{"Nowi", "#d97706"}, {"Mazowsze", "#0891b2"}, {"Śląsk", "#4b5563"}, {"Targi Poznań", "#db2777"},
}

var subjects = []string{"Przedstawienie oferty", "Ustalenie terminu dostawy", "Przypomnienie o płatności",
	"Omówienie zamówienia", "Prezentacja nowych produktów", "Negocjacja cen na kolejny rok", "Reklamacja",
	"Podpisanie umowy", "Zapytanie o stan magazynu", "Życzenia świąteczne i oferta", "Odnowienie umowy serwisowej",
	"Wizyta w siedzibie klienta", "Rozmowa o współpracy", "Potwierdzenie zamówienia"}

var outcomeNotes = map[string][]string{
	"success":   {"Zamówienie przyjęte.", "Klient zainteresowany, wysłano ofertę.", "Umowa podpisana.", "Ustalono termin dostawy."},
	"no_answer": {"Nie odbiera.", "Poczta głosowa.", "Sekretariat prosi o kontakt jutro."},
	"postponed": {"Klient prosi o kontakt po urlopie.", "Przełożone na przyszły tydzień.", "Decyzja po zarządzie."},
	"refused":   {"Nie jest zainteresowany.", "Ma już dostawcę.", "Za drogo."},
}
