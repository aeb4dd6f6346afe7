package service

import (
	"bytes"
	"image"
	_ "image/gif" // decoders for checkImage
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// maxImagePixels bounds the images checkImage decodes: a small file can
// declare an enormous picture (a "decompression bomb"), and decoding one
// of 40 megapixels takes about 160 MB.
const maxImagePixels = 40_000_000

// checkImage reports whether data is a whole, readable image: its header
// says a sane size and every pixel decodes. A file whose first bytes look
// like a PNG or JPEG but that is cut short or damaged is refused here,
// before anything is stored, instead of showing as a broken picture later.
func checkImage(data []byte) bool {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return false
	}
	_, _, err = image.Decode(bytes.NewReader(data))
	return err == nil
}
