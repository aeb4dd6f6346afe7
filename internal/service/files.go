package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"klientela/internal/authz"
	"klientela/internal/blob"
	"klientela/internal/crm"
	"klientela/internal/store"
)

// Defaults and limits of files.
const (
	DefaultMaxFileSize = 100 << 20 // bytes of one file
	DefaultFilesQuota  = 1 << 30   // bytes of all files of one account
	MaxFileName        = 255       // characters of a file name
	MaxFilesPerUpload  = 50        // files in one upload
	maxFolderName      = 100
	// pendingBlobAge is how long the bytes of an upload may stay without
	// their file before the cleanup deletes them: longer than any upload
	// can take (the server gives an upload an hour).
	pendingBlobAge = 6 * time.Hour
)

var errNoBlobStore = errors.New("service: no blob store configured")

// MaxFileSize is the largest file an upload accepts, in bytes.
func (s *Service) MaxFileSize() int64 { return s.opt.MaxFileSize }

// --- names -----------------------------------------------------------------

// bidiControls are the invisible characters that reorder text: in a file
// name they hide the real extension ("gpj.exe" shown as "exe.jpg").
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// cleanFileName makes what an uploader called a file into a name to show
// and to send back on download: the last element of a path ("../../x" is
// "x"), no control or direction-changing characters, at most MaxFileName
// characters with the extension kept. The name is never used as a path.
func cleanFileName(s string) string {
	s = strings.ToValidUTF8(s, "")
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || isBidiControl(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if s == "." || s == ".." {
		return ""
	}
	if utf8.RuneCountInString(s) > MaxFileName {
		ext := ""
		if i := strings.LastIndexByte(s, '.'); i > 0 && utf8.RuneCountInString(s[i:]) <= 16 {
			ext = s[i:]
		}
		base := []rune(strings.TrimSuffix(s, ext))
		s = strings.TrimSpace(string(base[:MaxFileName-utf8.RuneCountInString(ext)])) + ext
	}
	return s
}

// --- who may see what --------------------------------------------------------

// fileTargets checks where files go or move: a folder of the account, a
// client the user may see, an employee of the account (seen by someone who
// may view employees). Each problem is a message on its field.
func (s *Service) fileTargets(ctx context.Context, t *store.Tenant, p *crm.Principal, v *crm.Validation, f *crm.File, old *crm.File) error {
	if f.FolderID != nil && (old == nil || old.FolderID == nil || *old.FolderID != *f.FolderID) {
		if _, err := t.FileFolder(ctx, *f.FolderID); crm.ErrorCode(err) == crm.CodeNotFound {
			v.Add("folder_id", "err.file_folder_unknown")
		} else if err != nil {
			return err
		}
	}
	if f.ClientID != nil && (old == nil || old.ClientID == nil || *old.ClientID != *f.ClientID) {
		ok := authz.Can(p, authz.Clients, authz.View)
		if ok {
			sc := clientScope{own: authz.OwnOnly(p, authz.Clients)}
			if p.User.EmployeeID != nil {
				sc.employee = *p.User.EmployeeID
			}
			c, err := t.Client(ctx, *f.ClientID)
			switch {
			case crm.ErrorCode(err) == crm.CodeNotFound:
				ok = false
			case err != nil:
				return err
			default:
				ok = sc.sees(c) && c.DeletedAt == nil
			}
		}
		if !ok {
			v.Add("client_id", "err.contact_client_unknown")
		}
	}
	if f.DocumentID != nil && (old == nil || old.DocumentID == nil || *old.DocumentID != *f.DocumentID) {
		ok := authz.Can(p, authz.Documents, authz.View)
		if ok {
			if _, err := t.Document(ctx, *f.DocumentID); crm.ErrorCode(err) == crm.CodeNotFound {
				ok = false
			} else if err != nil {
				return err
			}
		}
		if !ok {
			v.Add("document_id", "err.document_unknown")
		}
	}
	if f.TaskID != nil && (old == nil || old.TaskID == nil || *old.TaskID != *f.TaskID) {
		// As for a client: the user must be able to see the task.
		ok := authz.Can(p, authz.Tasks, authz.View)
		if ok {
			sc := taskScope{own: authz.OwnOnly(p, authz.Tasks)}
			if p.User.EmployeeID != nil {
				sc.employee = *p.User.EmployeeID
			}
			if _, err := loadTask(ctx, t, sc, *f.TaskID); crm.ErrorCode(err) == crm.CodeNotFound {
				ok = false
			} else if err != nil {
				return err
			}
		}
		if !ok {
			v.Add("task_id", "err.file_task_unknown")
		}
	}
	if f.EmployeeID != nil && (old == nil || old.EmployeeID == nil || *old.EmployeeID != *f.EmployeeID) {
		ok := authz.Can(p, authz.Employees, authz.View)
		if ok {
			if _, err := t.Employee(ctx, *f.EmployeeID); crm.ErrorCode(err) == crm.CodeNotFound {
				ok = false
			} else if err != nil {
				return err
			}
		}
		if !ok {
			v.Add("employee_id", "err.employee_unknown")
		}
	}
	return nil
}

// showNames blanks what the user may not read about a file's attachments:
// the client's name without access to clients, the employee's without
// access to employees, the document's without access to documents.
func showNames(p *crm.Principal, fs []crm.File) {
	cl, em := authz.Can(p, authz.Clients, authz.View), authz.Can(p, authz.Employees, authz.View)
	doc := authz.Can(p, authz.Documents, authz.View)
	tasks := authz.Can(p, authz.Tasks, authz.View)
	for i := range fs {
		if !tasks {
			fs[i].TaskTitle = ""
		}
		if !doc {
			fs[i].DocumentName = ""
		}
		if !cl {
			fs[i].ClientName = ""
		}
		if !em {
			fs[i].EmployeeName = ""
		}
	}
}

func fileFields(f crm.File) []field {
	return []field{{"name", f.Name}, {"size", strconv.FormatInt(f.Size, 10)}, {"media_type", f.MediaType},
		{"folder", f.FolderName}, {"client_id", idText(f.ClientID)}, {"employee_id", idText(f.EmployeeID)},
		{"document_id", idText(f.DocumentID)}, {"task_id", idText(f.TaskID)}}
}

// --- uploads ---------------------------------------------------------------

// FileTarget is where uploaded files go: a folder (nil for the top) and
// optionally a client, an employee, a document and a task they are
// attached to.
type FileTarget struct {
	FolderID   *int64
	ClientID   *int64
	EmployeeID *int64
	DocumentID *int64
	TaskID     *int64
}

// Upload is one upload of one or more files, all or nothing: Add streams
// each file's bytes to the blob store, Commit records them all in one
// transaction, Abort (or a failed Commit) deletes the bytes again.
//
// The discipline that keeps bytes and metadata in step: before any bytes
// are written their key is noted as pending; the transaction that inserts
// the file drops the note. A crash in between leaves a note, and Cleanup
// deletes the bytes of old notes. So there are never bytes without a file
// for long, and never a file without bytes.
type Upload struct {
	s      *Service
	p      *crm.Principal
	t      *store.Tenant
	target crm.File // folder and attachments of every file
	used   int64    // the account's bytes when the upload began
	files  []crm.File
	done   bool
	// maxSize is the largest file of this upload (MaxFileSize unless
	// smaller, e.g. for images in documents).
	maxSize int64
}

// BeginUpload starts an upload into target (edit access to files). It
// refuses at once when the account's quota is used up.
func (s *Service) BeginUpload(ctx context.Context, target FileTarget) (*Upload, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.Edit)
	if err != nil {
		return nil, err
	}
	return s.beginUpload(ctx, p, t, target)
}

// beginUpload starts an upload for a user whose right to upload the caller
// checked.
func (s *Service) beginUpload(ctx context.Context, p *crm.Principal, t *store.Tenant, target FileTarget) (*Upload, error) {
	if s.opt.Blob == nil {
		return nil, errNoBlobStore
	}
	u := &Upload{s: s, p: p, t: t, maxSize: s.opt.MaxFileSize, target: crm.File{FolderID: target.FolderID,
		ClientID: target.ClientID, EmployeeID: target.EmployeeID, DocumentID: target.DocumentID, TaskID: target.TaskID}}
	var err error
	var v crm.Validation
	if err := s.fileTargets(ctx, t, p, &v, &u.target, nil); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if u.used, err = t.FilesUsage(ctx); err != nil {
		return nil, err
	}
	if u.used >= s.opt.FilesQuota {
		return nil, s.quotaError()
	}
	return u, nil
}

func (s *Service) quotaError() error {
	var v crm.Validation
	v.Add("file", "err.file_quota", "quota", FormatBytes(s.opt.FilesQuota))
	return v.Err()
}

func fileError(key string, args ...any) error {
	var v crm.Validation
	v.Add("file", key, args...)
	return v.Err()
}

// countingHash counts and digests what passes through it.
type countingHash struct {
	h hash.Hash
}

func (c countingHash) Write(p []byte) (int, error) { return c.h.Write(p) }

// Add streams one file into the upload. Its type is sniffed from its first
// 512 bytes (http.DetectContentType), never taken from the name or from
// what the client claims. A file over the size limit or the account's
// remaining quota stops when the limit is passed, and nothing of it stays.
func (u *Upload) Add(ctx context.Context, name string, r io.Reader) error {
	if u.done {
		return errors.New("service: upload already finished")
	}
	name = cleanFileName(name)
	if name == "" {
		return fileError("err.file_name_required")
	}
	if len(u.files) >= MaxFilesPerUpload {
		return fileError("err.file_too_many", "max", MaxFilesPerUpload)
	}
	var staged int64
	for _, f := range u.files {
		staged += f.Size
	}
	room := u.s.opt.FilesQuota - u.used - staged
	limit := min(u.maxSize, room)
	if limit <= 0 {
		return u.s.quotaError()
	}

	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return err
	}
	head = head[:n]
	if n == 0 {
		return fileError("err.file_empty", "name", name)
	}
	sum := countingHash{sha256.New()}
	now := u.s.now()
	f := u.target
	f.AccountID, f.Name, f.MediaType, f.BlobKey = u.t.AccountID(), name, http.DetectContentType(head), blob.NewKey()
	f.CreatedAt, f.UpdatedAt = now, now
	uid := u.p.User.ID
	f.UploadedBy = &uid
	if err := u.t.AddPendingBlob(ctx, f.BlobKey, now); err != nil {
		return err
	}
	size, err := u.s.opt.Blob.Put(ctx, f.BlobKey, io.TeeReader(io.MultiReader(bytes.NewReader(head), r), sum), limit)
	if err != nil {
		u.forget(ctx, f.BlobKey)
		if errors.Is(err, blob.ErrTooLarge) {
			if limit < u.maxSize {
				return u.s.quotaError()
			}
			return fileError("err.file_too_large", "name", name, "max", FormatBytes(u.maxSize))
		}
		return err
	}
	f.Size, f.SHA256 = size, hex.EncodeToString(sum.h.Sum(nil))
	u.files = append(u.files, f)
	return nil
}

// forget deletes the bytes under key and its pending note; when the
// delete fails the note stays for Cleanup.
func (u *Upload) forget(ctx context.Context, key string) {
	ctx = context.WithoutCancel(ctx)
	if err := u.s.opt.Blob.Delete(ctx, key); err != nil {
		u.s.opt.Logger.Warn("delete blob of a failed upload; cleanup will retry", "key", key, "err", err)
		return
	}
	if err := u.t.DropPendingBlob(ctx, key); err != nil {
		u.s.opt.Logger.Warn("drop pending blob", "key", key, "err", err)
	}
}

// Abort deletes the bytes of an upload that is not committed; after Commit
// it does nothing.
func (u *Upload) Abort(ctx context.Context) {
	if u.done {
		return
	}
	u.done = true
	for _, f := range u.files {
		u.forget(ctx, f.BlobKey)
	}
	u.files = nil
}

// Commit records the upload's files in one transaction, checking the
// quota again under the account's lock (two uploads at once cannot both
// take the last free bytes). On any failure the bytes are deleted.
func (u *Upload) Commit(ctx context.Context) ([]crm.File, error) {
	if u.done {
		return nil, errors.New("service: upload already finished")
	}
	if len(u.files) == 0 {
		u.done = true
		return nil, fileError("err.file_required")
	}
	err := u.t.InTx(ctx, func(t *store.Tenant) error {
		if err := t.LockAccount(ctx); err != nil {
			return err
		}
		used, err := t.FilesUsage(ctx)
		if err != nil {
			return err
		}
		for _, f := range u.files {
			used += f.Size
		}
		if used > u.s.opt.FilesQuota {
			return u.s.quotaError()
		}
		var v crm.Validation
		if err := u.s.fileTargets(ctx, t, u.p, &v, &u.target, nil); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		for i := range u.files {
			f := &u.files[i]
			if f.ID, err = t.CreateFile(ctx, *f); err != nil {
				return err
			}
			if err := t.DropPendingBlob(ctx, f.BlobKey); err != nil {
				return err
			}
			loaded, err := t.File(ctx, f.ID)
			if err != nil {
				return err
			}
			*f = loaded
			if err := record(ctx, t, u.p, f.CreatedAt, "file", f.ID, crm.ActionCreate, f.Name, created(fileFields(*f))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		u.Abort(ctx)
		return nil, err
	}
	u.done = true
	showNames(u.p, u.files)
	return u.files, nil
}

// --- reading ---------------------------------------------------------------

// FileQuery is a page of the file list.
type FileQuery struct {
	Q          string
	FolderID   int64 // only this folder
	TopLevel   bool  // only files in no folder
	ClientID   int64 // only the files of this client (who must be visible)
	EmployeeID int64
	DocumentID int64 // only the files of this document
	TaskID     int64 // only the files of this task (which must be visible)
	Sort       string
	Offset     int
	Limit      int
}

// fileFilter is q's store filter (without the page).
func fileFilter(q FileQuery) store.FileFilter {
	return store.FileFilter{Q: q.Q, FolderID: q.FolderID, TopLevel: q.TopLevel, ClientID: q.ClientID,
		EmployeeID: q.EmployeeID, DocumentID: q.DocumentID, TaskID: q.TaskID, Sort: q.Sort}
}

// FileCountBound is where Files stops counting for q (see countBound):
// ListCountMax, SearchCountMax for a search; 0, no bound, when the count
// is kept (store.FileCountKept: all the account's files, or a folder's).
func FileCountBound(q FileQuery) int {
	if store.FileCountKept(fileFilter(q)) {
		return 0
	}
	return countBound(searchOr(q.Q, ListCountMax), q.Offset, q.Limit)
}

// Files lists files (view access to files); it returns the page and the
// number of those that match, up to FileCountBound(q)+1 (all when it is
// 0). Asking for the files of a client the user may not see is not found.
func (s *Service) Files(ctx context.Context, q FileQuery) ([]crm.File, int, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.View)
	if err != nil {
		return nil, 0, err
	}
	if q.ClientID > 0 || q.EmployeeID > 0 || q.DocumentID > 0 || q.TaskID > 0 {
		var v crm.Validation
		target := crm.File{}
		if q.TaskID > 0 {
			target.TaskID = &q.TaskID
		}
		if q.DocumentID > 0 {
			target.DocumentID = &q.DocumentID
		}
		if q.ClientID > 0 {
			target.ClientID = &q.ClientID
		}
		if q.EmployeeID > 0 {
			target.EmployeeID = &q.EmployeeID
		}
		if err := s.fileTargets(ctx, t, p, &v, &target, nil); err != nil {
			return nil, 0, err
		}
		if v.Err() != nil {
			return nil, 0, crm.NotFound()
		}
	}
	f := fileFilter(q)
	f.Offset, f.Limit, f.CountMax = max(0, q.Offset), Page{Limit: q.Limit}.limit(), FileCountBound(q)
	fs, total, err := t.Files(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	showNames(p, fs)
	return fs, total, nil
}

// File returns one file's metadata (view access to files).
func (s *Service) File(ctx context.Context, id int64) (crm.File, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.View)
	if err != nil {
		return crm.File{}, err
	}
	f, err := t.File(ctx, id)
	if err != nil {
		return crm.File{}, err
	}
	fs := []crm.File{f}
	showNames(p, fs)
	return fs[0], nil
}

// OpenFile returns a file with its bytes opened for reading (view access
// to files); the caller closes them.
func (s *Service) OpenFile(ctx context.Context, id int64) (crm.File, blob.Object, error) {
	f, err := s.File(ctx, id)
	if err != nil {
		return crm.File{}, nil, err
	}
	if s.opt.Blob == nil {
		return crm.File{}, nil, errNoBlobStore
	}
	o, err := s.opt.Blob.Open(ctx, f.BlobKey)
	if err != nil {
		return crm.File{}, nil, err // missing bytes are our fault, not the user's
	}
	return f, o, nil
}

// FilesUsage returns the bytes the account's files take and the quota.
func (s *Service) FilesUsage(ctx context.Context) (used, quota int64, err error) {
	_, t, err := s.actor(ctx, authz.Files, authz.View)
	if err != nil {
		return 0, 0, err
	}
	used, err = t.FilesUsage(ctx)
	return used, s.opt.FilesQuota, err
}

// --- changing --------------------------------------------------------------

// FileInput is a file's name, folder and attachments as a form or the API
// sends them.
type FileInput struct {
	Name       string
	FolderID   *int64
	ClientID   *int64
	EmployeeID *int64
	DocumentID *int64
	TaskID     *int64
}

// FileInputOf turns a file back into the input that would save it
// unchanged (a PATCH starts from it).
func FileInputOf(f crm.File) FileInput {
	return FileInput{Name: f.Name, FolderID: f.FolderID, ClientID: f.ClientID, EmployeeID: f.EmployeeID, DocumentID: f.DocumentID, TaskID: f.TaskID}
}

// UpdateFile renames a file, moves it to another folder or changes what it
// is attached to (edit access to files).
func (s *Service) UpdateFile(ctx context.Context, id int64, in FileInput) (crm.File, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.Edit)
	if err != nil {
		return crm.File{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.File(ctx, id)
		if err != nil {
			return err
		}
		f := old
		var v crm.Validation
		raw := strings.TrimSpace(in.Name)
		f.Name = cleanFileName(raw)
		switch {
		case f.Name == "":
			v.Add("name", "err.required")
		case utf8.RuneCountInString(raw) > MaxFileName:
			v.Add("name", "err.too_long", "max", MaxFileName)
		}
		f.FolderID, f.ClientID, f.EmployeeID, f.DocumentID, f.TaskID = in.FolderID, in.ClientID, in.EmployeeID, in.DocumentID, in.TaskID
		if err := s.fileTargets(ctx, t, p, &v, &f, &old); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		f.UpdatedAt = now
		if err := t.UpdateFile(ctx, f); err != nil {
			return err
		}
		cur, err := t.File(ctx, id)
		if err != nil {
			return err
		}
		return record(ctx, t, p, now, "file", id, crm.ActionUpdate, cur.Name, diff(fileFields(old), fileFields(cur)))
	})
	if err != nil {
		return crm.File{}, err
	}
	return s.File(ctx, id)
}

// DeleteFile removes a file (full access to files): its metadata in a
// transaction that notes its bytes as pending, then the bytes. If deleting
// the bytes fails, Cleanup deletes them later.
func (s *Service) DeleteFile(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Files, authz.Full)
	if err != nil {
		return err
	}
	if s.opt.Blob == nil {
		return errNoBlobStore
	}
	now := s.now()
	var key string
	err = t.InTx(ctx, func(t *store.Tenant) error {
		f, err := t.File(ctx, id)
		if err != nil {
			return err
		}
		key = f.BlobKey
		if err := t.DeleteFile(ctx, id); err != nil {
			return err
		}
		if err := t.AddPendingBlob(ctx, key, now); err != nil {
			return err
		}
		return record(ctx, t, p, now, "file", id, crm.ActionDelete, f.Name, deleted(fileFields(f)))
	})
	if err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.opt.Blob.Delete(ctx, key); err != nil {
		s.opt.Logger.Warn("delete blob of a deleted file; cleanup will retry", "key", key, "err", err)
		return nil
	}
	if err := t.DropPendingBlob(ctx, key); err != nil {
		s.opt.Logger.Warn("drop pending blob", "key", key, "err", err)
	}
	return nil
}

// CleanupBlobs deletes, in every account, the bytes noted as pending long
// ago that no file refers to: uploads and deletions interrupted by a crash
// or a failing blob store. Cleanup runs it.
func (s *Service) CleanupBlobs(ctx context.Context) (int, error) {
	if s.opt.Blob == nil {
		return 0, nil
	}
	n := 0
	for {
		ps, err := s.store.PendingBlobsBefore(ctx, s.now().Add(-pendingBlobAge), 100)
		if err != nil || len(ps) == 0 {
			return n, err
		}
		for _, p := range ps {
			if !p.Referenced {
				if err := s.opt.Blob.Delete(ctx, p.Key); err != nil {
					return n, err
				}
				n++
			}
			if err := s.store.Tenant(p.AccountID).DropPendingBlob(ctx, p.Key); err != nil {
				return n, err
			}
		}
		if len(ps) < 100 {
			return n, nil
		}
	}
}

// --- folders ---------------------------------------------------------------

func folderFrom(name string, f *crm.FileFolder) error {
	var v crm.Validation
	f.Name = cleanText(name)
	checkRequiredText(&v, "name", f.Name, maxFolderName)
	if strings.ContainsAny(f.Name, `/\`) {
		v.Add("name", "err.file_folder_name_invalid")
	}
	return v.Err()
}

// FileFolders lists the account's folders with their numbers of files.
func (s *Service) FileFolders(ctx context.Context) ([]crm.FileFolder, error) {
	_, t, err := s.actor(ctx, authz.Files, authz.View)
	if err != nil {
		return nil, err
	}
	return t.FileFolders(ctx)
}

// FileFolder returns one folder.
func (s *Service) FileFolder(ctx context.Context, id int64) (crm.FileFolder, error) {
	_, t, err := s.actor(ctx, authz.Files, authz.View)
	if err != nil {
		return crm.FileFolder{}, err
	}
	return t.FileFolder(ctx, id)
}

// CreateFileFolder adds a folder (edit access to files).
func (s *Service) CreateFileFolder(ctx context.Context, name string) (crm.FileFolder, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.Edit)
	if err != nil {
		return crm.FileFolder{}, err
	}
	now := s.now()
	f := crm.FileFolder{AccountID: t.AccountID(), CreatedAt: now, UpdatedAt: now}
	if err := folderFrom(name, &f); err != nil {
		return crm.FileFolder{}, err
	}
	err = t.InTx(ctx, func(t *store.Tenant) error {
		if f.ID, err = t.CreateFileFolder(ctx, f); err != nil {
			return err
		}
		return record(ctx, t, p, now, "file_folder", f.ID, crm.ActionCreate, f.Name, created([]field{{"name", f.Name}}))
	})
	if err != nil {
		return crm.FileFolder{}, err
	}
	return t.FileFolder(ctx, f.ID)
}

// RenameFileFolder renames a folder (edit access to files).
func (s *Service) RenameFileFolder(ctx context.Context, id int64, name string) (crm.FileFolder, error) {
	p, t, err := s.actor(ctx, authz.Files, authz.Edit)
	if err != nil {
		return crm.FileFolder{}, err
	}
	now := s.now()
	err = t.InTx(ctx, func(t *store.Tenant) error {
		old, err := t.FileFolder(ctx, id)
		if err != nil {
			return err
		}
		f := old
		if err := folderFrom(name, &f); err != nil {
			return err
		}
		f.UpdatedAt = now
		if err := t.UpdateFileFolder(ctx, f); err != nil {
			return err
		}
		return record(ctx, t, p, now, "file_folder", id, crm.ActionUpdate, f.Name,
			diff([]field{{"name", old.Name}}, []field{{"name", f.Name}}))
	})
	if err != nil {
		return crm.FileFolder{}, err
	}
	return t.FileFolder(ctx, id)
}

// DeleteFileFolder removes an empty folder (full access to files).
func (s *Service) DeleteFileFolder(ctx context.Context, id int64) error {
	p, t, err := s.actor(ctx, authz.Files, authz.Full)
	if err != nil {
		return err
	}
	now := s.now()
	return t.InTx(ctx, func(t *store.Tenant) error {
		f, err := t.FileFolder(ctx, id)
		if err != nil {
			return err
		}
		if f.Files > 0 {
			return &crm.Error{Code: crm.CodeConflict, Key: "err.file_folder_not_empty", Args: []any{"count", f.Files}}
		}
		if err := t.DeleteFileFolder(ctx, id); err != nil {
			return err
		}
		return record(ctx, t, p, now, "file_folder", id, crm.ActionDelete, f.Name, deleted([]field{{"name", f.Name}}))
	})
}

// FormatBytes shows a size the way people read it: "512 B", "1,5 MB",
// "1 GB" (binary units, one decimal, Polish comma).
func FormatBytes(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return strings.Replace(s, ".", ",", 1) + " " + units[i]
}
