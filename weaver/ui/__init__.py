"""The upper floor: Qt widgets that show the core and turn gestures into core commands."""
