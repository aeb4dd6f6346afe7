package store

// SetDocumentSearchProbe changes where a document search stops using its
// index (tests of both plans with few documents) and returns the undo.
func SetDocumentSearchProbe(n int) func() {
	old := documentSearchProbe
	documentSearchProbe = n
	return func() { documentSearchProbe = old }
}
