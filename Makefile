# Developer and CI entry points for the mattermost.emm collection.
#
#   make site    set everything up, then run the main playbook (offline provider)
#   make test    every check CI runs, in order, stopping at the first failure
#
# Only a plain python3 (3.11+) is needed: every other tool is installed into
# .venv from requirements-test.txt. See docs/testing.md.

PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.requirements-installed

# The checkout is made importable as ansible_collections.mattermost.emm through
# a symlink: collections/ansible_collections/mattermost/emm -> the repo root.
# ansible-playbook, ansible-lint, molecule and pytest all find it there.
COLLECTIONS_ROOT := $(CURDIR)/collections
COLLECTION_LINK := collections/ansible_collections/mattermost/emm

# ansible-test needs a real directory tree, so sanity runs in a copy.
SANITY_ROOT := $(CURDIR)/build/sanity
SANITY_PYTHON ?= 3.11
# --local runs ansible-test itself from .venv; each sanity test that needs
# pinned tools (pylint, yamllint, ...) still gets its own cached virtualenv
# under ~/.ansible/test/venv, so .venv is never modified. --venv works too but
# first builds one more virtualenv for ansible-test itself.
SANITY_MODE ?= --local
SANITY_ARGS ?=

INVENTORY ?= playbooks/inventory
SITE_ARGS ?=

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Tools run from .venv; they also call each other (ansible-lint and molecule
# run ansible-playbook, antsibull-changelog runs ansible-doc) through PATH.
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_ROOT)
export PY_COLORS ?= 0
export ANSIBLE_NOCOLOR ?= 1

.PHONY: help venv venv-interpreter collections site units newest sanity pip-bootstrap lint changelog-lint \
	molecule artifact galaxy-import ee release-notes docs test clean distclean

help:
	@echo "make site            set up .venv, run playbooks/site.yml on $(INVENTORY)"
	@echo "make test            venv, units, sanity, lint, docs, changelog-lint, release-notes, galaxy-import, ee, molecule, newest"
	@echo "make units|sanity|lint|docs|changelog-lint|release-notes|artifact|galaxy-import|ee|molecule|newest   one step"
	@echo "make clean           remove build output (keeps .venv)"
	@echo "make distclean       clean, and remove .venv"

# ---------------------------------------------------------------------------
# Environment

# A PYTHON given on the command line or in the environment is honoured even when .venv exists:
# a .venv made by another interpreter is recreated with it.
PYTHON_IDENTITY := -c 'import sys; print(sys.base_prefix, sys.version)'

venv: venv-interpreter $(STAMP)

venv-interpreter:
ifneq ($(filter command line environment,$(origin PYTHON)),)
	@if [ -x $(VENV)/bin/python ] && \
	    [ "$$($(VENV)/bin/python $(PYTHON_IDENTITY))" != "$$($(PYTHON) $(PYTHON_IDENTITY))" ]; then \
		echo "venv: $(VENV) runs another Python than $(PYTHON): recreating it"; rm -rf $(VENV); \
	fi
endif

# Reinstalls only when a requirements file changes (or .venv is deleted).
$(STAMP): requirements.txt requirements-pytest.txt requirements-test.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-test.txt
	@touch $@

collections:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn ../../.. $(COLLECTION_LINK)

# ---------------------------------------------------------------------------
# Main job

site: venv collections
	ansible-playbook -i $(INVENTORY) playbooks/site.yml $(SITE_ARGS)

# ---------------------------------------------------------------------------
# Checks

units: venv collections
	pytest -q

# ansible-test pulls pip into each sanity venv with a script it normally
# downloads from a host outside the package index; provide it locally.
pip-bootstrap: venv
	@python tests/utils/ansible_test_pip_bootstrap.py

sanity: venv pip-bootstrap
	@tree=$$(python tests/utils/collection_tree.py $(SANITY_ROOT)); \
	cd "$$tree" && ansible-test sanity $(SANITY_MODE) --python $(SANITY_PYTHON) $(SANITY_ARGS)

lint: venv collections
	ansible-lint

changelog-lint: venv
	antsibull-changelog lint

molecule: venv collections
	molecule test --all

# The newest ansible-core needs a newer Python than .venv's: run the whole pytest suite (the
# module tests drive that ansible-core's ansible-playbook) and the site playbook on it too, in
# .venv-newest, when such a Python is on the machine.
PYTHON_NEWEST ?= $(lastword $(wildcard /usr/bin/python3.1[2-9] \
	$(shell pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3))
NEWEST := $(CURDIR)/.venv-newest

newest: collections
	@if [ -z "$(PYTHON_NEWEST)" ]; then echo "newest: no Python 3.12+ found, skipped"; exit 0; fi; \
	if [ -x $(NEWEST)/bin/python ] && \
	    [ "$$($(NEWEST)/bin/python $(PYTHON_IDENTITY))" != "$$($(PYTHON_NEWEST) $(PYTHON_IDENTITY))" ]; then \
		rm -rf $(NEWEST); \
	fi; \
	test -x $(NEWEST)/bin/python || $(PYTHON_NEWEST) -m venv $(NEWEST); \
	$(NEWEST)/bin/python -m pip install --disable-pip-version-check -q --upgrade -r requirements-pytest.txt; \
	$(NEWEST)/bin/python -c "import sys; from ansible.release import __version__; \
		print('newest: Python', sys.version.split()[0], 'ansible-core', __version__)"; \
	$(NEWEST)/bin/python -m pytest -q; \
	PATH=$(NEWEST)/bin:$$PATH ansible-playbook -i $(INVENTORY) playbooks/site.yml \
		-e mattermost_build_dir=$(CURDIR)/build/newest -e ansible_python_interpreter=$(NEWEST)/bin/python

# ---------------------------------------------------------------------------
# Release gates: what Galaxy and Automation Hub check when the collection is published, and
# what a user's execution environment and the release notes need.

VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
DIST := $(CURDIR)/build/dist
ARTIFACT := $(DIST)/mattermost-emm-$(VERSION).tar.gz
# Files the artifact must hold: the licence galaxy.yml and every file header point to, and what
# the Galaxy page and ansible-builder read.
ARTIFACT_FILES := LICENSE README.md meta/runtime.yml meta/execution-environment.yml \
	meta/ee-requirements.txt changelogs/changelog.yaml
GALAXY_IMPORTER_CONFIGS := tests/utils/galaxy-importer/galaxy.cfg tests/utils/galaxy-importer/automation-hub.cfg
EE_DIR := $(CURDIR)/build/ee
RELEASE_NOTES_ROOT := $(CURDIR)/build/release-notes

# ansible-galaxy collection build, as a publisher runs it.
artifact: venv
	@rm -rf $(DIST)
	ansible-galaxy collection build --output-path $(DIST)
	@members=$$(tar -tzf $(ARTIFACT)); for file in $(ARTIFACT_FILES); do \
		grep -qx "$$file" <<<"$$members" || { echo "artifact: $$file is missing from $(ARTIFACT)"; exit 1; }; \
	done

# galaxy-importer on the artifact with Galaxy's and with Automation Hub's settings; any warning fails.
galaxy-import: artifact
	python tests/utils/galaxy_import.py $(ARTIFACT) $(GALAXY_IMPORTER_CONFIGS)

# The user-facing execution environment definition gives ansible-builder a build context (no
# image is built), and ansible-builder finds the collection's Python requirements in the
# installed artifact (meta/execution-environment.yml).
ee: artifact
	@rm -rf $(EE_DIR)
	ansible-builder create -f execution-environment.yml --context $(EE_DIR)/context
	ANSIBLE_COLLECTIONS_PATH=$(EE_DIR)/collections ansible-galaxy collection install --offline --force \
		-p $(EE_DIR)/collections $(ARTIFACT) >/dev/null
	ansible-builder introspect --sanitize $(EE_DIR)/collections --write-pip $(EE_DIR)/requirements.txt >/dev/null
	diff <(grep -v '^#' meta/ee-requirements.txt | grep .) \
		<(sed -n 's/ *# from collection mattermost.emm$$//p' $(EE_DIR)/requirements.txt)
	@echo "ee: build context in $(EE_DIR)/context; the collection brings $$(grep -c . $(EE_DIR)/requirements.txt) Python requirement(s)"

# `antsibull-changelog release` for the version in galaxy.yml, in a copy of the collection:
# the fragments are complete and valid and the release notes can be cut.
release-notes: venv
	@tree=$$(python tests/utils/collection_tree.py $(RELEASE_NOTES_ROOT)); \
	(cd "$$tree" && ANSIBLE_COLLECTIONS_PATH=$(RELEASE_NOTES_ROOT) antsibull-changelog release --version $(VERSION)); \
	python tests/utils/release_notes.py "$$tree" $(VERSION); \
	echo "release-notes: $$tree/CHANGELOG.md"

# The documentation site, offline: antsibull-docs checks the plugin, role and guide sources, then
# writes a page for each (guides: docs/docsite/rst); Sphinx renders them into build/docs/html
# (docs/docsite/sphinx/conf.py, no intersphinx); tests/docs opens every page in headless
# Chromium and checks its text (skipped without Chromium, failed without it when CI=true).
DOCS_BUILD := $(CURDIR)/build/docs

docs: venv collections
	python tests/utils/docs_lint.py
	rm -rf $(DOCS_BUILD) && mkdir -p $(DOCS_BUILD)/rst && chmod og-w $(DOCS_BUILD)/rst
	antsibull-docs collection --use-current --squash-hierarchy --fail-on-error \
		--dest-dir $(DOCS_BUILD)/rst mattermost.emm
	sphinx-build -q -W --keep-going -c docs/docsite/sphinx -b html $(DOCS_BUILD)/rst $(DOCS_BUILD)/html
	pytest -q tests/docs

test: venv
	$(MAKE) --no-print-directory units
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory docs
	$(MAKE) --no-print-directory changelog-lint
	$(MAKE) --no-print-directory release-notes
	$(MAKE) --no-print-directory galaxy-import
	$(MAKE) --no-print-directory ee
	$(MAKE) --no-print-directory molecule
	$(MAKE) --no-print-directory newest

# ---------------------------------------------------------------------------

clean:
	rm -rf build collections tests/output .pytest_cache .hypothesis .ansible
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(NEWEST)
