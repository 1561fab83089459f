// One error type for the whole project: a stable code, a human message and the
// context it gathered on its way up ("scale: read weight: timeout"). Errors are
// values; exceptions from third-party libraries are caught in their adapter.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace packline {

struct Error {
    std::string code;     // stable, machine-readable: "store.integrity", "import.bad_row"
    std::string message;  // what a person reads

    Error() = default;
    Error(std::string code_, std::string message_)
        : code(std::move(code_)), message(std::move(message_)) {}

    // Prefixes the message with where it happened, like a call stack in words.
    [[nodiscard]] Error context(std::string_view where) const {
        Error copy = *this;
        copy.message = std::string(where) + ": " + message;
        return copy;
    }

    [[nodiscard]] std::string to_string() const { return message + " [" + code + "]"; }
};

// Result<T> holds a value or an Error. Minimal stand-in for std::expected (C++23).
template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : storage_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : storage_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return storage_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(storage_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(storage_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(storage_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    [[nodiscard]] const Error& error() const {
        assert(!ok());
        return std::get<1>(storage_);
    }

    T value_or(T fallback) const { return ok() ? std::get<0>(storage_) : std::move(fallback); }

  private:
    std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const {
        assert(!ok());
        return *error_;
    }

  private:
    std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace packline
