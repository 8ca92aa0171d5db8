"""The ground floor: document, domain, analysis and file formats. Never imports Qt."""
