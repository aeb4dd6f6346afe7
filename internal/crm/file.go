package crm

import (
	"strings"
	"time"
)

// File is an uploaded file of an account: its metadata. The bytes live in
// the blob store under BlobKey. A file sits in a folder (or at the top) and
// may be attached to a client, an employee, a document and a task.
type File struct {
	ID           ID
	AccountID    ID
	FolderID     *ID
	ClientID     *ID
	EmployeeID   *ID
	DocumentID   *ID
	TaskID       *ID
	Name         string // the original name, as uploaded or renamed
	Size         int64  // bytes
	MediaType    string // sniffed from the first 512 bytes at upload
	SHA256       string // hex digest of the bytes
	BlobKey      string
	UploadedBy   *ID
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FolderName   string // filled in by lists and lookups
	ClientName   string
	EmployeeName string
	DocumentName string // the document's title
	TaskTitle    string
}

// Previewable reports whether the browser may show the file itself: only
// images of the common raster kinds and PDFs, as sniffed from the bytes
// (never from the name the uploader gave).
func (f File) Previewable() bool { return f.IsImage() || f.MediaType == "application/pdf" }

// IsImage reports whether the file was sniffed as a raster image the
// browser can show in an <img>.
func (f File) IsImage() bool {
	switch f.MediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp":
		return true
	}
	return false
}

// Ext is the file name's extension in lower case without the dot, "" for
// none.
func (f File) Ext() string {
	i := strings.LastIndexByte(f.Name, '.')
	if i <= 0 || i == len(f.Name)-1 {
		return ""
	}
	return strings.ToLower(f.Name[i+1:])
}

// FileFolder is a named folder of files. Folders are one level deep.
type FileFolder struct {
	ID        ID
	AccountID ID
	Name      string
	Files     int // files in the folder (lists only)
	CreatedAt time.Time
	UpdatedAt time.Time
}
