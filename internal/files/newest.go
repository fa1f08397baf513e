package files

// newest keeps the n most recently modified files seen so far, newest
// first, so a walk over thousands of files holds only n of them.
type newest struct {
	n     int
	files []File
}

// add offers f; it is kept when it is among the n newest.
func (b *newest) add(f File) {
	i := len(b.files)
	for i > 0 && before(f, b.files[i-1]) {
		i--
	}
	if i >= b.n {
		return
	}
	if len(b.files) < b.n {
		b.files = append(b.files, File{})
	}
	copy(b.files[i+1:], b.files[i:])
	b.files[i] = f
}

// before orders newer files first and equal times by path, so the result
// does not depend on the order the server lists files in.
func before(a, b File) bool {
	if !a.Modified.Equal(b.Modified) {
		return a.Modified.After(b.Modified)
	}
	return a.Path < b.Path
}
