// Package assets holds the resources bundled into the binary. It has no Fyne dependency itself except in
// resource.go, which wraps the icon for the UI.
package assets

import _ "embed"

//go:generate go run ../scripts/genicon -o icon.png

// Icon is the 512×512 PNG application icon, drawn by scripts/genicon.
//
//go:embed icon.png
var Icon []byte
