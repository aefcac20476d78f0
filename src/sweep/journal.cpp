#include "cmasim/sweep/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "cmasim/util/hash.h"

namespace cmasim::sweep {

namespace {

constexpr std::string_view kMagic = "CSR1";
constexpr std::size_t kHeaderBytes = 4 + 4 + 8;  // magic, payload length, checksum
/// A record larger than this is corrupt, whatever its length field says.
constexpr std::uint32_t kMaxPayload = 64u << 20;

void put(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

/// Reads little-endian integers from a payload; any overrun throws.
class Cursor {
  public:
    explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
    std::uint64_t take(int bytes) {
        if (bytes_.size() < static_cast<std::size_t>(bytes))
            throw std::runtime_error("journal record too short");
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v |= std::uint64_t{static_cast<unsigned char>(bytes_[static_cast<std::size_t>(i)])}
                 << (8 * i);
        bytes_.remove_prefix(static_cast<std::size_t>(bytes));
        return v;
    }
    std::string text(std::size_t n) {
        if (bytes_.size() < n) throw std::runtime_error("journal record too short");
        std::string s(bytes_.substr(0, n));
        bytes_.remove_prefix(n);
        return s;
    }
    bool empty() const { return bytes_.empty(); }

  private:
    std::string_view bytes_;
};

TaskRecord decode_payload(std::string_view payload) {
    Cursor c(payload);
    TaskRecord r;
    r.point = c.take(8);
    r.replication = c.take(8);
    const std::uint64_t n = c.take(4);
    for (std::uint64_t i = 0; i < n; ++i) {
        indicators::IndicatorValue v;
        v.indicator = c.text(static_cast<std::size_t>(c.take(2)));
        v.value = std::bit_cast<double>(c.take(8));
        r.values.push_back(std::move(v));
    }
    if (!c.empty()) throw std::runtime_error("journal record has trailing bytes");
    return r;
}

/// The payload of the framed record at the front of `bytes`, or nullopt if it is torn or corrupt.
std::optional<std::string_view> next_payload(std::string_view bytes) {
    if (bytes.size() < kHeaderBytes || bytes.substr(0, 4) != kMagic) return std::nullopt;
    Cursor header(bytes.substr(4, 12));
    const std::uint64_t length = header.take(4);
    const std::uint64_t checksum = header.take(8);
    if (length > kMaxPayload || bytes.size() - kHeaderBytes < length) return std::nullopt;
    const std::string_view payload = bytes.substr(kHeaderBytes, static_cast<std::size_t>(length));
    if (util::fnv1a64(payload) != checksum) return std::nullopt;
    return payload;
}

}  // namespace

std::string encode_record(const TaskRecord& record) {
    std::string payload;
    put(payload, record.point, 8);
    put(payload, record.replication, 8);
    put(payload, record.values.size(), 4);
    for (const auto& v : record.values) {
        if (v.indicator.size() > 0xFFFF)
            throw std::invalid_argument("indicator name too long: " + v.indicator);
        put(payload, v.indicator.size(), 2);
        payload += v.indicator;
        put(payload, std::bit_cast<std::uint64_t>(v.value), 8);
    }
    std::string out(kMagic);
    put(out, payload.size(), 4);
    put(out, util::fnv1a64(payload), 8);
    return out + payload;
}

bool identical(const TaskRecord& a, const TaskRecord& b) {
    return encode_record(a) == encode_record(b);
}

DecodedJournal decode_journal(std::string_view bytes) {
    DecodedJournal out;
    while (!bytes.empty()) {
        const auto payload = next_payload(bytes);
        if (!payload) break;
        try {
            out.records.push_back(decode_payload(*payload));
        } catch (const std::runtime_error&) {
            break;  // a checksum-valid but malformed payload: treat like a torn write
        }
        bytes.remove_prefix(kHeaderBytes + payload->size());
    }
    out.ignored_bytes = bytes.size();
    return out;
}

TaskRecord decode_record(std::string_view bytes) {
    const auto payload = next_payload(bytes);
    if (!payload || payload->size() + kHeaderBytes != bytes.size())
        throw std::runtime_error("malformed task record");
    return decode_payload(*payload);
}

JournalWriter::JournalWriter(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0)
        throw std::runtime_error("cannot create journal " + path_.string() + ": " +
                                 std::strerror(errno));
    const int dir = ::open(path_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

JournalWriter::~JournalWriter() {
    if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::append(std::string_view framed_record) {
    // One write per record where possible; a partial write followed by a crash leaves a torn
    // record that readers skip.
    while (!framed_record.empty()) {
        const ssize_t n = ::write(fd_, framed_record.data(), framed_record.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("cannot write journal " + path_.string() + ": " +
                                     std::strerror(errno));
        }
        framed_record.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fdatasync(fd_) != 0) {
        throw std::runtime_error("cannot sync journal " + path_.string() + ": " +
                                 std::strerror(errno));
    }
}

}  // namespace cmasim::sweep
