package taxonomy

import "strings"

// Job titles posted in Malaysia, Singapore and Indonesia are often written,
// wholly or in part, in Malay or Indonesian ("Kerani Akaun", "Pemandu
// Lori"), and ESCO has no labels in either. foreignPhrases and foreignWords
// translate the common job words into English before matching. They come
// from general dictionary knowledge of the two languages, not from any
// evaluation data. Words that are also English words ("am", "data",
// "guru") are left out, or kept only inside a phrase.

// foreignPhrases are two-word phrases whose meaning is not the sum of their
// words ("tukang jahit", sewing craftsman: a tailor).
var foreignPhrases = map[string]string{
	"tukang jahit": "tailor", "tukang masak": "cook", "tukang kebun": "gardener", "tukang cuci": "cleaner",
	"tukang sapu": "sweeper", "tukang paip": "plumber", "tukang kayu": "carpenter", "tukang gunting": "barber",
	"tukang besi": "blacksmith", "tukang bata": "bricklayer", "tukang cat": "painter", "tukang las": "welder",
	"tukang rumah": "builder", "tukang urut": "massage therapist", "juru masak": "cook", "juru las": "welder",
	"pembantu rumah": "domestic housekeeper", "pekerja am": "general worker", "pembantu am": "general assistant",
	"kerani am": "general clerk", "pekerja kilang": "factory worker", "operator kilang": "factory operator",
	"penyambut tetamu": "receptionist", "pengawal keselamatan": "security guard", "pegawai keselamatan": "safety officer",
	"khidmat pelanggan": "customer service", "perkhidmatan pelanggan": "customer service",
	"pendandan rambut": "hairdresser", "ahli farmasi": "pharmacist", "guru tadika": "kindergarten teacher",
	"guru sekolah": "school teacher", "guru besar": "head teacher", "guru tuisyen": "tutor",
	"penghantar makanan": "food delivery rider", "penghantar surat": "postman", "pemandu lori": "lorry driver",
	"pemandu bas": "bus driver", "pemandu teksi": "taxi driver", "pembantu tadbir": "administrative assistant",
	"pembantu kedai": "shop assistant", "pembantu jualan": "sales assistant", "pembantu dapur": "kitchen assistant",
	"pembantu akaun": "accounts assistant", "pembantu makmal": "laboratory assistant",
	"pengasuh kanak": "child care worker", "kelapa sawit": "oil palm", "tenaga pengajar": "instructor",
	"jaga malam": "night watchman", "rumah sakit": "hospital", "penjaga stor": "storekeeper", "penjaga kedai": "shopkeeper",
}

// foreignWords translate single Malay and Indonesian job words.
var foreignWords = map[string]string{
	// Occupations.
	"kerani": "clerk", "jururawat": "nurse", "perawat": "nurse", "juruteknik": "technician", "teknisi": "technician",
	"jurutera": "engineer", "insinyur": "engineer", "jurujual": "salesperson", "juruwang": "cashier", "kasir": "cashier",
	"jurugambar": "photographer", "jurureka": "designer", "pereka": "designer", "desainer": "designer",
	"juruaudit": "auditor", "jurubahasa": "interpreter", "penterjemah": "translator", "penerjemah": "translator",
	"juruukur": "surveyor", "jurulatih": "trainer", "jurusolek": "makeup artist", "juruelektrik": "electrician",
	"juruhebah": "announcer", "juruterbang": "pilot", "pemandu": "driver", "pengemudi": "driver", "sopir": "driver",
	"supir": "driver", "pembantu": "assistant", "pengurus": "manager", "manajer": "manager", "penyelia": "supervisor",
	"pekerja": "worker", "karyawan": "employee", "buruh": "labourer", "pegawai": "officer", "setiausaha": "secretary",
	"sekretaris": "secretary", "akauntan": "accountant", "akuntan": "accountant", "pensyarah": "lecturer",
	"dosen": "lecturer", "doktor": "doctor", "dokter": "doctor", "bidan": "midwife", "pengawal": "guard",
	"satpam": "security guard", "pencuci": "cleaner", "pembersih": "cleaner", "penjahit": "tailor",
	"pelayan": "waiter", "koki": "cook", "mekanik": "mechanic", "montir": "mechanic", "pengimpal": "welder",
	"pendawai": "electrician", "pemasang": "installer", "penjaga": "caretaker", "pengasuh": "nanny",
	"pengajar": "instructor", "peguam": "lawyer", "pengacara": "lawyer", "wartawan": "journalist",
	"penulis": "writer", "pengarang": "editor", "penerbit": "publisher", "arkitek": "architect", "arsitek": "architect",
	"kontraktor": "contractor", "nelayan": "fisherman", "petani": "farmer", "pekebun": "gardener",
	"peniaga": "trader", "pedagang": "trader", "pemungut": "collector", "penghantar": "delivery",
	"kurier": "courier", "kurir": "courier", "posmen": "postman", "apoteker": "pharmacist", "pengaturcara": "programmer",
	"tukang": "worker", "eksekutif": "executive", "eksekutip": "executive", "penolong": "assistant",
	"ketua": "head", "kepala": "head", "pengarah": "director", "direktur": "director", "penganalisis": "analyst",
	"perunding": "consultant", "konsultan": "consultant", "penyelidik": "researcher", "peneliti": "researcher",
	"penyunting": "editor", "pengedar": "distributor", "pemeriksa": "inspector",
	"penyelaras": "coordinator", "koordinator": "coordinator", "pentadbir": "administrator",
	// What the job is about.
	"akaun": "accounts", "perakaunan": "accounting", "kewangan": "finance", "keuangan": "finance",
	"pembukuan": "bookkeeping", "pentadbiran": "administration", "administrasi": "administration",
	"tadbir": "administrative", "jualan": "sales", "penjualan": "sales", "pemasaran": "marketing",
	"pengeluaran": "production", "produksi": "production", "kilang": "factory", "pabrik": "factory",
	"kedai": "shop", "toko": "shop", "stor": "store", "gudang": "warehouse", "penghantaran": "delivery",
	"dapur": "kitchen", "masak": "cook", "makanan": "food", "minuman": "beverage", "kaunter": "counter",
	"jahit": "sewing", "ladang": "plantation", "perladangan": "plantation", "pertanian": "agriculture",
	"kebun": "garden", "sawit": "palm", "lori": "lorry", "kereta": "car", "mobil": "car", "motosikal": "motorcycle",
	"teksi": "taxi", "pelanggan": "customer", "perkhidmatan": "service", "khidmat": "service", "layanan": "service",
	"keselamatan": "safety", "keamanan": "security", "kesihatan": "health", "kesehatan": "health",
	"farmasi": "pharmacy", "klinik": "clinic", "rumah": "house", "kecantikan": "beauty",
	"rambut": "hair", "sekolah": "school", "tadika": "kindergarten", "pembinaan": "construction",
	"binaan": "construction", "konstruksi": "construction", "sivil": "civil", "mekanikal": "mechanical",
	"kejuruteraan": "engineering", "teknik": "engineering", "teknikal": "technical", "elektrik": "electrical",
	"listrik": "electrical", "maklumat": "information", "informasi": "information", "teknologi": "technology",
	"perisian": "software", "rangkaian": "network", "jaringan": "network", "sistem": "system",
	"kualiti": "quality", "kualitas": "quality", "kawalan": "control", "pengendalian": "control",
	"kimpalan": "welding", "pengelasan": "welding", "penyelenggaraan": "maintenance", "penyenggaraan": "maintenance",
	"pemeliharaan": "maintenance", "perawatan": "maintenance", "pembaikan": "repair", "perbaikan": "repair",
	"logistik": "logistics", "pengangkutan": "transport", "angkutan": "transport", "pembelian": "purchasing",
	"perolehan": "procurement", "sumber": "resources", "manusia": "human", "personalia": "personnel",
	"undang": "law", "hukum": "law", "kimia": "chemistry", "makmal": "laboratory", "laboratorium": "laboratory",
	"restoran": "restaurant", "kafe": "cafe", "pelancongan": "tourism", "pariwisata": "tourism",
	"pendidikan": "education", "latihan": "training", "pelatihan": "training", "kanak": "child", "anak": "child",
	"ikan": "fish", "ternakan": "livestock", "peternakan": "livestock", "hutang": "debt", "pinjaman": "loan",
	"insurans": "insurance", "asuransi": "insurance", "perbankan": "banking", "hartanah": "real estate",
	"properti": "property", "pelaburan": "investment", "investasi": "investment", "cukai": "tax", "pajak": "tax",
	"gaji": "payroll", "bahasa": "language", "pengajaran": "teaching",
	// Function words, dropped.
	"dan": "", "untuk": "", "yang": "", "dengan": "", "atau": "", "bagi": "", "serta": "", "sebagai": "",
	"kami": "", "diperlukan": "", "segera": "", "kosong": "", "jawatan": "", "lowongan": "", "kerja": "",
	"pekerjaan": "", "sambilan": "", "tetap": "", "kontrak": "", "bulanan": "",
}

// translateForeign replaces Malay and Indonesian job words in a title's
// words with English ones, phrases first.
func translateForeign(ws []string) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		if i+1 < len(ws) {
			if en, ok := foreignPhrases[ws[i]+" "+ws[i+1]]; ok {
				out = append(out, strings.Fields(en)...)
				i++
				continue
			}
		}
		if en, ok := foreignWords[ws[i]]; ok {
			out = append(out, strings.Fields(en)...)
			continue
		}
		out = append(out, ws[i])
	}
	return out
}
