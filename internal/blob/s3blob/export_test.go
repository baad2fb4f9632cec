package s3blob

// PartBuffersPeak returns the most part buffers s has held at once.
func PartBuffersPeak(s *Store) int64 { return s.partsPeak.Load() }

// UploadConcurrency is how many parts of one upload are in flight.
const UploadConcurrency = uploadConcurrency
