// The durable record of finished tasks. Each worker appends to its own file; a record is
// "CSR1", payload length (u32), FNV-1a checksum (u64), payload, all little-endian, and is on disk
// (fdatasync) before append() returns. A reader stops at the first record that is short or fails
// its checksum: that is the write a crash interrupted, and its task simply runs again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cmasim/indicators/results.h"

namespace cmasim::sweep {

/// One finished (point, replication): the kept county indicators, in output order.
struct TaskRecord {
    std::uint64_t point = 0;
    std::uint64_t replication = 0;
    std::vector<indicators::IndicatorValue> values;
};

/// Same task, same indicators, bit-identical values (NaN equals NaN).
bool identical(const TaskRecord& a, const TaskRecord& b);

/// The framed bytes of one record (what a journal holds; also the MPI message body).
std::string encode_record(const TaskRecord& record);

/// The records of a journal's bytes, up to the first torn or corrupt record.
struct DecodedJournal {
    std::vector<TaskRecord> records;
    std::uint64_t ignored_bytes = 0;  ///< bytes after the last good record (a torn write)
};
DecodedJournal decode_journal(std::string_view bytes);

/// Decodes exactly one framed record; throws std::runtime_error if `bytes` is anything else.
TaskRecord decode_record(std::string_view bytes);

/// An append-only journal file, created new (never reused, so a torn tail of an earlier run never
/// sits in front of new records). Not thread-safe: one writer per worker.
class JournalWriter {
  public:
    /// Creates `path` (an error if it exists) and makes its directory entry durable.
    explicit JournalWriter(std::filesystem::path path);
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;
    ~JournalWriter();
    /// Appends one framed record and waits until it is on disk.
    void append(std::string_view framed_record);
    const std::filesystem::path& path() const { return path_; }

  private:
    int fd_ = -1;
    std::filesystem::path path_;
};

}  // namespace cmasim::sweep
