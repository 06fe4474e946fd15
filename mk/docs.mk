# The documentation site and the Galaxy install check (included by the Makefile).
#   make docs                  - HTML docs of the built collection (antsibull-docs, Sphinx with warnings
#                                as errors) in build/docs/, offline; build/docs/index.html is the start page
#   make galaxy-install-check  - the tarball, installed into an empty path, lists every module in ansible-doc -l
# galaxy.yml's documentation: URL is where build/docs/ would be published (GitHub Pages of the repository).
# Recursive variables (=): this file may be included before the Makefile defines COLLECTIONS and BIN.

DOCS_SRC = $(CURDIR)/build/docs-src
DOCS_HTML = $(CURDIR)/build/docs
# Every module of the collection: each needs a page, and the listing of the installed tarball.
ELB_MODULES = $(sort $(basename $(notdir $(filter-out %/__init__.py,$(wildcard $(CURDIR)/plugins/modules/*.py)))))
# Only the collection that `make collection` installed: nothing else on the path can be documented.
DOCS_ENV = ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false PATH=$(BIN):$$PATH

.PHONY: docs galaxy-install-check

docs: collection
	rm -rf $(DOCS_SRC) $(DOCS_HTML)
	@# antsibull-docs writes only into a directory that no one but its owner can write to.
	mkdir -m 700 $(DOCS_SRC)
	$(DOCS_ENV) $(BIN)/antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir $(DOCS_SRC) \
	  --project lbaas.elb --copyright '2026, lbaas.elb contributors' --title lbaas.elb \
	  --index-rst-source docs/site/index.rst lbaas.elb
	@# Offline: no intersphinx downloads (docs/site/conf_offline.py says how references are resolved).
	cat docs/site/conf_offline.py >>$(DOCS_SRC)/conf.py
	grep -q -- ' -W ' $(DOCS_SRC)/build.sh
	$(DOCS_ENV) $(DOCS_SRC)/build.sh
	mv $(DOCS_SRC)/build/html $(DOCS_HTML)
	$(BIN)/python docs/site/check_site.py $(DOCS_HTML) galaxy.yml $(ELB_MODULES)

galaxy-install-check: collection
	rm -rf .build/galaxy-install && mkdir -p .build/galaxy-install
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/galaxy-install $(BIN)/ansible-galaxy collection install \
	  -p $(CURDIR)/.build/galaxy-install $(TARBALL)
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/galaxy-install ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
	  $(BIN)/ansible-doc -t module -l lbaas.elb | tee .build/galaxy-install/ansible-doc-list.txt
	listed=$$(awk '{print $$1}' .build/galaxy-install/ansible-doc-list.txt | sort | tr '\n' ' '); \
	expected=$$(printf 'lbaas.elb.%s\n' $(ELB_MODULES) | sort | tr '\n' ' '); \
	[ "$$listed" = "$$expected" ] || { echo "ansible-doc -l lists '$$listed', expected '$$expected'"; exit 1; }
	@echo "galaxy-install-check: ansible-doc -l lbaas.elb lists all $(words $(ELB_MODULES)) modules"
