"""Files: uploads, content-addressed storage, previews and per-message access."""
