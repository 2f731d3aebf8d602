package woosim

// The simulated shop's fixed data: products, customers, addresses, tax
// rates, shipping methods, payment gateways and coupons. Names mix Bulgarian
// Cyrillic, German umlauts and French accents on purpose: WooCommerce sends
// them as \uXXXX escapes, and a client must decode them.

type product struct {
	ID         int64 // the product (simple) or the variation's parent
	VariantID  int64 // the variation, 0 for a simple product
	Name       string
	ParentName string // the parent's title for a variation
	SKU        string
	Price      money // in EUR/USD/GBP; BGN prices are derived
	TaxClass   string
	Attrs      []attr
	ImageID    int64
	ImagePath  string
	Digital    bool // virtual and downloadable: needs no processing
	Deleted    bool // deleted since the order: sku null, no image
}

// attr is a variation attribute as it appears in line item meta_data.
type attr struct{ Key, Value, DisplayKey, DisplayValue string }

var catalog = []product{
	{ID: 11, Name: "Blue Mug", SKU: "MUG-BLUE", Price: 950},
	{ID: 13, Name: "Canvas Tote", SKU: "TOTE-1", Price: 1100, ImageID: 45, ImagePath: "/wp-content/uploads/2023/04/canvas-tote.jpg"},
	{ID: 14, Name: "Sticker Pack", SKU: "STK-10", Price: 499},
	{ID: 16, Name: "Cap", SKU: "CAP-1", Price: 1825},
	{ID: 17, Name: "Notebook A5", SKU: "NB-A5", Price: 730},
	{ID: 20, Name: "Gift Card 25", SKU: "GIFT-25", Price: 2500},
	{ID: 21, VariantID: 22, Name: "T-Shirt - S", ParentName: "T-Shirt", SKU: "TSHIRT-S", Price: 1900,
		Attrs: []attr{{"size", "S", "Size", "S"}}},
	{ID: 21, VariantID: 23, Name: "T-Shirt - M", ParentName: "T-Shirt", SKU: "TSHIRT-M", Price: 1900,
		Attrs: []attr{{"size", "M", "Size", "M"}}},
	{ID: 21, VariantID: 24, Name: "T-Shirt - L", ParentName: "T-Shirt", SKU: "TSHIRT-L", Price: 2100,
		Attrs: []attr{{"size", "L", "Size", "L"}}},
	{ID: 30, Name: "Чаша „Родопи“", SKU: "MUG-RODOPI", Price: 1290, ImageID: 46, ImagePath: "/wp-content/uploads/2023/05/chasha-rodopi.jpg"},
	{ID: 31, Name: "Müsli-Schale „Größe XL“", SKU: "BOWL-XL", Price: 1450},
	{ID: 32, Name: "Crème de marrons 250 g", SKU: "CREME-250", Price: 640, TaxClass: "reduced-rate"},
	{ID: 33, Name: "Kaffee „Espresso“ 500 g", SKU: "KAFFEE-500", Price: 1190, TaxClass: "reduced-rate"},
	{ID: 35, VariantID: 36, Name: "Hoodie - Black, M", ParentName: "Hoodie", SKU: "HOODIE-BLK-M", Price: 4500,
		Attrs: []attr{{"pa_color", "black", "Color", "Black"}, {"pa_size", "m", "Size", "M"}}},
	{ID: 35, VariantID: 37, Name: "Hoodie - Grün, L", ParentName: "Hoodie", SKU: "HOODIE-GRN-L", Price: 4500,
		Attrs: []attr{{"pa_color", "gruen", "Color", "Grün"}, {"pa_size", "l", "Size", "L"}}},
	{ID: 40, Name: "E-Book: Счетоводство за начинаещи", SKU: "EBOOK-BG", Price: 1500, Digital: true},
	{ID: 41, Name: "E-Book: Bookkeeping 101", SKU: "EBOOK-EN", Price: 1200, Digital: true},
	{ID: 50, Name: `Tea "Earl Grey" 100 g / loose`, SKU: "TEA-EG", Price: 850, TaxClass: "reduced-rate"},
	{ID: 60, Name: "Poster „Vintage Café“", SKU: "POSTER-1", Price: 1500, Deleted: true},
}

// priceIn converts a catalog price to currency: BGN is roughly twice EUR,
// ending in .x0 as Bulgarian shops price.
func priceIn(p money, currency string) money {
	if currency == "BGN" {
		return p*2 - 10
	}
	return p
}

type person struct{ First, Last, Email string }

type place struct {
	Address1, Address2, City, Postcode, State string
}

type country struct {
	Code       string
	Currencies []string // the first is the usual one
	People     []person
	Companies  []string
	Places     []place
	PhonePre   string
	TaxRate    *taxRate // standard rate, nil: never taxed
	Reduced    *taxRate // reduced rate for TaxClass "reduced-rate", nil: standard
	TaxedShare int      // percent of orders with tax
	Notes      []string
	Couriers   []shipMethod // extra local shipping methods
	CODTitle   string
	BACSTitle  string
	CODFee     string
}

type taxRate struct {
	ID          int64
	Code        string
	Label       string
	BP          int64  // hundredths of a percent
	RatePercent string // as a PHP float in JSON
}

var (
	rateDE        = &taxRate{1, "DE-MWST.-1", "MwSt.", 1900, "19"}
	rateDEReduced = &taxRate{6, "DE-MWST. ERMäßIGT-1", "MwSt. ermäßigt", 700, "7"} // PHP's strtoupper leaves non-ASCII alone
	rateFR        = &taxRate{2, "FR-TVA-1", "TVA", 2000, "20"}
	rateFRReduced = &taxRate{7, "FR-TVA RéDUITE-1", "TVA réduite", 550, "5.5"}
	rateBG        = &taxRate{3, "BG-ДДС-1", "ДДС", 2000, "20"}
	rateGB        = &taxRate{4, "GB-VAT-1", "VAT", 2000, "20"}
	rateUSTX      = &taxRate{5, "US-TX-STATE TAX-1", "State Tax", 625, "6.25"}
)

type shipMethod struct {
	ID, Title, Instance string
	Cost                money // in the order's currency
}

var commonShipping = []shipMethod{
	{"flat_rate", "Flat rate", "1", 500},
	{"free_shipping", "Free shipping", "2", 0},
	{"local_pickup", "Local pickup", "3", 0},
}

var countries = []country{
	{
		Code: "BG", Currencies: []string{"BGN", "EUR"},
		People: []person{
			{"Иван", "Петров", "ivan.petrov"}, {"Мария", "Иванова", "maria.ivanova"},
			{"Георги", "Димитров", "georgi.dimitrov"}, {"Елена", "Стоянова", "elena.stoyanova"},
			{"Николай", "Георгиев", "nikolay.georgiev"}, {"Ралица", "Костова", "ralitsa.kostova"},
			{"Цветан", "Тодоров", "tsvetan.todorov"}, {"Йорданка", "Христова", "yordanka.hristova"},
		},
		Companies: []string{"Счетоводна къща „Баланс“ ЕООД", "Родопа Трейд ООД"},
		Places: []place{
			{"ул. „Граф Игнатиев“ 15", "", "София", "1000", "BG-22"},
			{"бул. „Мария Луиза“ 48", "ет. 3, ап. 12", "Пловдив", "4000", "BG-16"},
			{"ул. „Цар Симеон“ 7", "", "Варна", "9000", "BG-03"},
		},
		PhonePre: "+359 88", TaxRate: rateBG, TaxedShare: 85,
		Notes: []string{"Моля, обадете се преди доставка.", "Доставка след 17:00 ч.\nВход от двора."},
		Couriers: []shipMethod{
			{"flat_rate", "Доставка до офис на Еконт", "4", 590},
			{"flat_rate", "Speedy до адрес", "5", 790},
		},
		CODTitle: "Наложен платеж", BACSTitle: "Банков превод", CODFee: "Такса наложен платеж",
	},
	{
		Code: "DE", Currencies: []string{"EUR"},
		People: []person{
			{"Jürgen", "Müller", "juergen.mueller"}, {"Sören", "Groß", "soeren.gross"},
			{"Änne", "Schäfer", "aenne.schaefer"}, {"Björn", "Weiß", "bjoern.weiss"},
			{"Käthe", "Köhler", "kaethe.koehler"}, {"Lukas", "Schmidt", "lukas.schmidt"},
		},
		Companies: []string{"Müller & Söhne GmbH"},
		Places: []place{
			{"Hauptstraße 5", "", "München", "80331", ""},
			{"Königsallee 12", "3. OG", "Düsseldorf", "40212", ""},
			{"Schloßstraße 3", "", "Köln", "50667", ""},
		},
		PhonePre: "+49 89", TaxRate: rateDE, Reduced: rateDEReduced, TaxedShare: 90,
		Notes:    []string{"Bitte beim Nachbarn abgeben.", "Geschenk – bitte ohne Rechnung ins Paket."},
		CODTitle: "Nachnahme", BACSTitle: "Überweisung", CODFee: "Nachnahmegebühr",
	},
	{
		Code: "FR", Currencies: []string{"EUR"},
		People: []person{
			{"Amélie", "Lefèvre", "amelie.lefevre"}, {"François", "Gaumont", "francois.gaumont"},
			{"Hélène", "Dubois", "helene.dubois"}, {"Noël", "Bérenger", "noel.berenger"},
			{"Zoë", "Mercier", "zoe.mercier"}, {"Jérôme", "Câlin", "jerome.calin"},
		},
		Companies: []string{"Café de l'Époque SARL"},
		Places: []place{
			{"12 rue de la Paix", "", "Paris", "75002", ""},
			{"5 place Bellecour", "Bâtiment B", "Lyon", "69002", ""},
			{"8 quai de la Fosse", "", "Nantes", "44000", ""},
		},
		PhonePre: "+33 1", TaxRate: rateFR, Reduced: rateFRReduced, TaxedShare: 90,
		Notes:    []string{"Merci de sonner à l'interphone « Dubois ».", "Livraison après 18 h, s'il vous plaît."},
		CODTitle: "Paiement à la livraison", BACSTitle: "Virement bancaire", CODFee: "Frais de paiement à la livraison",
	},
	{
		Code: "GB", Currencies: []string{"GBP"},
		People: []person{
			{"Grace", "O'Brien", "grace.obrien"}, {"Oliver", "Smith", "oliver.smith"},
			{"Siobhán", "Murphy", "siobhan.murphy"}, {"Harry", "Jones", "harry.jones"},
		},
		Companies: []string{"Acme Widgets Ltd"},
		Places: []place{
			{"221B Baker Street", "", "London", "NW1 6XE", ""},
			{"10 Deansgate", "Flat 4", "Manchester", "M3 1AZ", ""},
		},
		PhonePre: "+44 20", TaxRate: rateGB, TaxedShare: 80,
		Notes:    []string{"Please leave with the concierge.", "Gift – no prices on the packing slip please"},
		CODTitle: "Cash on delivery", BACSTitle: "Direct bank transfer", CODFee: "Cash on delivery fee",
	},
	{
		Code: "US", Currencies: []string{"USD"},
		People: []person{
			{"Kai", "Rossi", "kai.rossi"}, {"Emma", "Johnson", "emma.johnson"},
			{"Noah", "Williams", "noah.williams"}, {"Zoë", "Tanaka", "zoe.tanaka"},
		},
		Companies: []string{"Lone Star Supplies LLC"},
		Places: []place{
			{"16 Main Street", "", "Austin", "73301", "TX"},
			{"350 Fifth Avenue", "Suite 7600", "New York", "10118", "NY"},
		},
		PhonePre: "+1 512", TaxRate: rateUSTX, TaxedShare: 50,
		Notes:    []string{"Please gift wrap", "Ring twice & wait"},
		CODTitle: "Cash on delivery", BACSTitle: "Direct bank transfer", CODFee: "Cash on delivery fee",
	},
}

// countryWeights picks a billing country: a Bulgarian shop selling abroad.
var countryWeights = []int{40, 20, 15, 12, 13}

type coupon struct {
	ID       int64
	Code     string
	Type     string // percent or fixed_cart
	Amount   money  // percent*100 for percent coupons (1000 = 10%)
	Created  string // WC_DateTime as it lands in the coupon_data meta
	JSONMeta []byte // coupon_data: WC_Coupon::get_data() as WooCommerce 7.9 stores it
}

var coupons = []*coupon{
	{ID: 70, Code: "summer10", Type: "percent", Amount: 1000, Created: "2025-05-30 09:12:44.000000"},
	{ID: 71, Code: "welcome5", Type: "fixed_cart", Amount: 500, Created: "2024-11-02 16:40:03.000000"},
	{ID: 72, Code: "пролет20", Type: "percent", Amount: 2000, Created: "2026-03-01 07:00:00.000000"},
}

func init() {
	for _, c := range coupons {
		c.JSONMeta = couponData(c)
	}
}

// couponData renders the coupon_data meta value the way WooCommerce 7.9
// stores it on a coupon line: the whole WC_Coupon::get_data() array, with
// its dates as serialized WC_DateTime objects.
func couponData(c *coupon) []byte {
	var w jsonWriter
	w.raw(`{"id":`)
	w.int(c.ID)
	w.raw(`,"code":`)
	w.str(c.Code)
	w.raw(`,"amount":"`)
	w.b = appendPHPFloatMoney(w.b, c.Amount) // "10" for 10 %, "5" for 5.00
	w.raw(`"`)
	w.raw(`,"status":"publish","date_created":{"date":`)
	w.str(c.Created)
	w.raw(`,"timezone_type":1,"timezone":"+00:00"},"date_modified":{"date":`)
	w.str(c.Created)
	w.raw(`,"timezone_type":1,"timezone":"+00:00"},"date_expires":null,"discount_type":`)
	w.str(c.Type)
	w.raw(`,"description":"","usage_count":0,"individual_use":false,"product_ids":[],"excluded_product_ids":[],` +
		`"usage_limit":0,"usage_limit_per_user":0,"limit_usage_to_x_items":null,"free_shipping":false,` +
		`"product_categories":[],"excluded_product_categories":[],"exclude_sale_items":false,` +
		`"minimum_amount":"","maximum_amount":"","email_restrictions":[],"virtual":false,"meta_data":[]}`)
	return w.b
}

type gateway struct {
	ID    string
	Title string // default title; cod and bacs are localized per country
}

var (
	gwBACS   = gateway{"bacs", "Direct bank transfer"}
	gwCOD    = gateway{"cod", "Cash on delivery"}
	gwStripe = gateway{"stripe", "Credit Card (Stripe)"}
	gwPayPal = gateway{"paypal", "PayPal"}
)

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
}

var refundReasons = []string{"", "Damaged in transit", "Customer changed their mind", "Повреден продукт", "Falsche Größe geliefert"}

var currencySymbols = map[string]string{
	"EUR": "€",
	"BGN": "лв.",
	"USD": "$",
	"GBP": "£",
}
