"""Stage 4: from rendered chapters to the EPUB: the publication plan (documents, reading
order, contents, landmarks), the generated pages, the navigation documents, the package
document and the reproducible zip."""
