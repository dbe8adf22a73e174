# The two commands a new user needs (see README.md). Both set up what is missing first.
export NO_MKDOCS_2_WARNING = 1
# Where `make serve` listens; another address: make serve ADDR=127.0.0.1:8001
ADDR ?= 127.0.0.1:8000

.PHONY: serve build test

serve:  ## set up, then serve the site with live reload on http://$(ADDR)
	.ci/setup
	.venv/bin/mkdocs serve -a $(ADDR)

build:  ## set up, then build the site into site/ (strict: any warning fails)
	.ci/setup
	.venv/bin/mkdocs build --strict

test:  ## set up (including Chromium), then run the whole test suite
	.ci/setup --browser
	.venv/bin/python -m pytest -n 2
