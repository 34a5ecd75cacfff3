# Shortcuts; each verb is also a plain command in the README.
.PHONY: install lab test lint exercises site

install:
	python3 course.py setup

lab:
	python3 course.py lab

test:
	python3 course.py test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

exercises:
	.venv/bin/gancourse make-exercises

site:
	python3 course.py site
