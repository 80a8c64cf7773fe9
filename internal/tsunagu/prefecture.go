package tsunagu

import "strings"

// Prefecture is one of Japan's 47 prefectures. Name (English, "Tokyo") is
// the value stored everywhere; NameJA is its Japanese name; Region is the
// region of Japan it belongs to ("Kanto"), which is as precise as a company
// gets to see of where an anonymised candidate lives.
type Prefecture struct {
	Code     int    // JIS X 0401 code, 1 (Hokkaido) to 47 (Okinawa)
	Name     string // English name, the stored value
	NameJA   string // Japanese name, with its suffix (東京都)
	Region   string // English region name (Kanto)
	RegionJA string // Japanese region name (関東)
}

// Prefectures lists the 47 prefectures in JIS order, north to south.
var Prefectures = []Prefecture{
	{1, "Hokkaido", "北海道", "Hokkaido", "北海道"},
	{2, "Aomori", "青森県", "Tohoku", "東北"},
	{3, "Iwate", "岩手県", "Tohoku", "東北"},
	{4, "Miyagi", "宮城県", "Tohoku", "東北"},
	{5, "Akita", "秋田県", "Tohoku", "東北"},
	{6, "Yamagata", "山形県", "Tohoku", "東北"},
	{7, "Fukushima", "福島県", "Tohoku", "東北"},
	{8, "Ibaraki", "茨城県", "Kanto", "関東"},
	{9, "Tochigi", "栃木県", "Kanto", "関東"},
	{10, "Gunma", "群馬県", "Kanto", "関東"},
	{11, "Saitama", "埼玉県", "Kanto", "関東"},
	{12, "Chiba", "千葉県", "Kanto", "関東"},
	{13, "Tokyo", "東京都", "Kanto", "関東"},
	{14, "Kanagawa", "神奈川県", "Kanto", "関東"},
	{15, "Niigata", "新潟県", "Chubu", "中部"},
	{16, "Toyama", "富山県", "Chubu", "中部"},
	{17, "Ishikawa", "石川県", "Chubu", "中部"},
	{18, "Fukui", "福井県", "Chubu", "中部"},
	{19, "Yamanashi", "山梨県", "Chubu", "中部"},
	{20, "Nagano", "長野県", "Chubu", "中部"},
	{21, "Gifu", "岐阜県", "Chubu", "中部"},
	{22, "Shizuoka", "静岡県", "Chubu", "中部"},
	{23, "Aichi", "愛知県", "Chubu", "中部"},
	{24, "Mie", "三重県", "Kansai", "関西"},
	{25, "Shiga", "滋賀県", "Kansai", "関西"},
	{26, "Kyoto", "京都府", "Kansai", "関西"},
	{27, "Osaka", "大阪府", "Kansai", "関西"},
	{28, "Hyogo", "兵庫県", "Kansai", "関西"},
	{29, "Nara", "奈良県", "Kansai", "関西"},
	{30, "Wakayama", "和歌山県", "Kansai", "関西"},
	{31, "Tottori", "鳥取県", "Chugoku", "中国"},
	{32, "Shimane", "島根県", "Chugoku", "中国"},
	{33, "Okayama", "岡山県", "Chugoku", "中国"},
	{34, "Hiroshima", "広島県", "Chugoku", "中国"},
	{35, "Yamaguchi", "山口県", "Chugoku", "中国"},
	{36, "Tokushima", "徳島県", "Shikoku", "四国"},
	{37, "Kagawa", "香川県", "Shikoku", "四国"},
	{38, "Ehime", "愛媛県", "Shikoku", "四国"},
	{39, "Kochi", "高知県", "Shikoku", "四国"},
	{40, "Fukuoka", "福岡県", "Kyushu-Okinawa", "九州・沖縄"},
	{41, "Saga", "佐賀県", "Kyushu-Okinawa", "九州・沖縄"},
	{42, "Nagasaki", "長崎県", "Kyushu-Okinawa", "九州・沖縄"},
	{43, "Kumamoto", "熊本県", "Kyushu-Okinawa", "九州・沖縄"},
	{44, "Oita", "大分県", "Kyushu-Okinawa", "九州・沖縄"},
	{45, "Miyazaki", "宮崎県", "Kyushu-Okinawa", "九州・沖縄"},
	{46, "Kagoshima", "鹿児島県", "Kyushu-Okinawa", "九州・沖縄"},
	{47, "Okinawa", "沖縄県", "Kyushu-Okinawa", "九州・沖縄"},
}

var prefectureIndex = func() map[string]*Prefecture {
	m := make(map[string]*Prefecture, 47*5)
	for i := range Prefectures {
		p := &Prefectures[i]
		lower := strings.ToLower(p.Name)
		m[lower] = p
		m[p.NameJA] = p
		// 東京都 → 東京, 大阪府 → 大阪; 北海道 stays whole.
		if short := strings.TrimRight(p.NameJA, "都府県"); short != p.NameJA {
			m[short] = p
		}
		for _, suffix := range []string{"-to", "-fu", "-ken", " prefecture", " metropolis", "-do"} {
			m[lower+suffix] = p
		}
	}
	// Common alternative romanisations.
	for alias, name := range map[string]string{
		"hokkaidō": "Hokkaido", "tōkyō": "Tokyo", "ōsaka": "Osaka", "kyōto": "Kyoto",
		"hyōgo": "Hyogo", "kōchi": "Kochi", "ōita": "Oita", "gumma": "Gunma",
		"tokyo metropolis": "Tokyo",
	} {
		m[alias] = m[strings.ToLower(name)]
	}
	return m
}()

// FindPrefecture returns the prefecture named s: its English name in any
// case, with or without a suffix ("Tokyo", "tokyo-to", "Osaka Prefecture"),
// or its Japanese name ("東京都", "東京").
func FindPrefecture(s string) (*Prefecture, bool) {
	s = strings.TrimSpace(s)
	if p, ok := prefectureIndex[s]; ok {
		return p, true
	}
	p, ok := prefectureIndex[strings.ToLower(s)]
	return p, ok
}

// NormalizePrefecture returns the stored (English) name of the prefecture
// named s, and whether s named one.
func NormalizePrefecture(s string) (string, bool) {
	p, ok := FindPrefecture(s)
	if !ok {
		return "", false
	}
	return p.Name, true
}

// JapanRegion returns the region of Japan of a prefecture's stored name
// ("Kanto" for "Tokyo"), or "" if it is not one.
func JapanRegion(prefecture string) string {
	if p, ok := FindPrefecture(prefecture); ok {
		return p.Region
	}
	return ""
}
