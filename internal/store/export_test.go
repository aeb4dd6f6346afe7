package store

// SetDocumentSearchWalk changes how many documents a search's page may
// read walking the list's order (tests of both plans with few documents)
// and returns the undo.
func SetDocumentSearchWalk(n int) func() {
	old := documentSearchWalk
	documentSearchWalk = n
	return func() { documentSearchWalk = old }
}
