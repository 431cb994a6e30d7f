"""The dialogue side of tastebud: settings, models, and answering people."""
