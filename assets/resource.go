package assets

import "fyne.io/fyne/v2"

// IconResource is Icon as a Fyne resource, for App.SetIcon, windows and the system tray.
var IconResource = &fyne.StaticResource{StaticName: "icon.png", StaticContent: Icon}
