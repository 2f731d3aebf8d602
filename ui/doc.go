// Package ui is ShopLedger's window: a shell that owns what every screen
// shares, and the screens, each in a package of its own (the shape of
// ErikKalkoken/evebuddy's internal/app/ui/<screen>). A screen package
// declares the small interface it needs from the shell (catalog.UI: the
// window, the bridge, Reload; orders.UI adds the clock, the search index
// and the status line; settings.UI and settings.Prefs; shops.UI, which
// also tells the shell of a shop added or removed; webhooks.UI,
// webhooks.Prefs and webhooks.Backend, the engine's part it uses) and imports
// only ui/bridge, ui/i18n, ui/widgets and core packages; screens never
// import each other or the shell.
//
// Packages:
//
//	ui                 the shell (see below)
//	ui/bridge          the only place that calls fyne.Do: background work,
//	                   Load (fetch off the UI goroutine, apply on it), event
//	                   streams, delayed updates; tests drive it by hand
//	ui/i18n            languages and their switch, dates, amounts and
//	                   statuses as each language writes them, the core's
//	                   errors and findings as plain sentences
//	ui/widgets         what more than one screen uses: the warehouse and
//	                   cost center picker and its dialog, the date field,
//	                   weighted columns, sentence-wide dialogs, headings
//	                   and error labels
//	ui/orders          Orders: search, filters and sorting of the paged list,
//	                   its totals per currency, an order's detail (its
//	                   amounts, and booking it elsewhere), the export of
//	                   what the list shows
//	ui/catalog         Warehouses & cost centers
//	ui/shops           Shops: each shop's sync, Verify with shop, Edit
//	                   shop (with Replace keys), Remove, and the Add shop
//	                   wizard, which the shell opens too (the welcome
//	                   screen's Connect your shop, Ctrl+N) through
//	                   shops.Page, as it asks the demo shop's removal
//	ui/books           Books: period totals per shop and currency, VAT,
//	                   the journal's export, closing, changes after closing,
//	                   the NRA audit file (НАП одитен файл) and its settings
//	ui/settings        Settings: language, start minimized and at login
//	                   (each system's autostart entry), the database path,
//	                   backups (Back up now, folder, how many, Restore…),
//	                   the session's log
//	ui/tray            the tray icon and menu, and hide-on-close
//	ui/webhooks        Webhooks: a shop's delivery URL and secret, Register
//	                   in shop, the webhooks' health, the public address,
//	                   the deliveries log with Retry
//	ui/internal/uitest what the screens' tests share (job queue, books,
//	                   simulated shop, seeded orders, engine, signed webhook
//	                   deliveries, English)
//	ui/internal/rules  tests of the rules below, from the sources alone
//
// The shell owns: the window and its navigation (screens.go: the one list
// a new screen joins), the header with the status line, Sync now and Cancel
// (status.go, sync.go), the snapshot every screen shows and its reload
// (window.go), the search index and its refreshes, the core's events and
// the notifications they cause (events.go, notify.go), the welcome screen
// and the demo shop (empty_state.go, demo_shop.go), the preferences
// (prefs.go), the translations' files (translations.go), and the app's
// start and end (main.go, lifecycle.go, shell.go: the window and tray that
// outlive one opening of the books, "Preparing your books…" while they
// open, and the restore that closes and reopens them). Its state machines are typed
// (state.go): Sync now (syncState), the search index (indexState), the demo
// shop's start (demoState).
//
// Rules: widgets are touched only on Fyne's goroutine; work leaves it and
// comes back only through the bridge. ui/internal/rules checks both rules
// from the sources: no fyne.Do outside ui/bridge, no screen importing the
// shell or another screen. Every user-visible string goes through lang.L/lang.N
// with its key in translations/shopledger.{en,bg}.json.
package ui
