package authz

// Preset is a ready-made scope the owner can start from. Its name is the
// i18n key "preset.<Key>".
type Preset struct {
	Key   string
	Scope Scope
}

func levels(l Level, sections ...Section) map[Section]Level {
	m := map[Section]Level{}
	for _, s := range sections {
		m[s] = l
	}
	return m
}

func merge(ms ...map[Section]Level) map[Section]Level {
	out := map[Section]Level{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Presets are offered on the user form, in this order.
var Presets = []Preset{
	{Key: "sales", Scope: Scope{ // Handlowiec: works their own clients
		Levels: merge(
			levels(Edit, Clients, Contacts, Tasks, Documents, Files, Orders),
			levels(View, Calendar, Employees, Products)),
		OwnOnly: []Section{Clients, Contacts, Tasks},
	}},
	{Key: "accountant", Scope: Scope{ // Księgowa: money, and reading what it is about
		Levels: merge(
			levels(Full, Invoices, Finance),
			levels(Edit, Products),
			levels(View, Clients, Documents, Files, Orders, Vehicles, Reports, Employees)),
	}},
	{Key: "manager", Scope: Scope{ // Kierownik: everything but the account settings
		Levels: merge(
			levels(Full, Clients, Contacts, Tasks, Calendar, Employees, Documents, Files, Orders, Invoices, Finance, Products, Vehicles, Reports),
			levels(View, Settings)),
	}},
	{Key: "readonly", Scope: Scope{ // Tylko podgląd
		Levels: levels(View, Clients, Contacts, Tasks, Calendar, Employees, Documents, Files, Orders, Invoices, Finance, Products, Vehicles, Reports),
	}},
}

// PresetByKey finds a preset.
func PresetByKey(key string) (Preset, bool) {
	for _, p := range Presets {
		if p.Key == key {
			return p, true
		}
	}
	return Preset{}, false
}
