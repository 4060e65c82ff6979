"""The tool's shared vocabulary, below every stage: the model (frozen dataclasses), errors and
the finding catalogue, book.yaml's settings, the words a book or report prints (labels, i18n,
Chinese numerals, contributor roles), what XHTML allows (xhtml, attributes), the CIP block's
rules, the note profiles, the files the tool ships, and writing output files safely."""
