#include "packline/station/shift.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "packline/hardware/simulated_indicator.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/hardware/simulated_scale.h"
#include "packline/hardware/simulated_scanner.h"
#include "packline/labels/zpl_inspect.h"
#include "packline/station/checks.h"
#include "packline/station/demo_catalogue.h"
#include "packline/station/packing_station.h"
#include "packline/station/station_errors.h"
#include "packline/station/station_loop.h"
#include "packline/station/store.h"
#include "packline/store_errors.h"

namespace packline::station {

std::string_view to_string(Mistake mistake) {
    switch (mistake) {
        case Mistake::None:
            return "-";
        case Mistake::Split:
            return "(two parcels)";
        case Mistake::WrongVariant:
            return "wrong variant";
        case Mistake::MissingItem:
            return "missing item";
        case Mistake::ExtraItem:
            return "extra item";
        case Mistake::RepeatedSerial:
            return "repeated serial";
        case Mistake::WeightOff:
            return "weight off";
        case Mistake::Cancelled:
            return "cancelled order";
        case Mistake::OnHold:
            return "order on hold";
        case Mistake::BadPhone:
            return "bad phone";
        case Mistake::InvalidTracking:
            return "invalid tracking no.";
        case Mistake::LabelOtherOrder:
            return "other order's label";
        case Mistake::UnstableScale:
            return "unstable scale";
    }
    return "?";
}

std::string_view expected_reason(Mistake mistake) {
    switch (mistake) {
        case Mistake::None:
        case Mistake::Split:
            return "";
        case Mistake::WrongVariant:
            return "contents.wrong_variant";
        case Mistake::MissingItem:
            return "contents.missing_item";
        case Mistake::ExtraItem:
            return "contents.over_quantity";
        case Mistake::RepeatedSerial:
            return "contents.serial_repeated";
        case Mistake::WeightOff:
            return "weight.too_heavy";
        case Mistake::Cancelled:
            return "customer.order_cancelled";
        case Mistake::OnHold:
            return "customer.order_on_hold";
        case Mistake::BadPhone:
            return "customer.phone_invalid";
        case Mistake::InvalidTracking:
            return "express.tracking_invalid";
        case Mistake::LabelOtherOrder:
            return "express.label_other_order";
        case Mistake::UnstableScale:
            return "weight.unstable";
    }
    return "";
}

bool ends_confirmed(Mistake mistake) {
    return mistake != Mistake::Cancelled && mistake != Mistake::OnHold &&
           mistake != Mistake::InvalidTracking;
}

bool ShiftReport::success() const {
    return std::all_of(orders.begin(), orders.end(),
                       [](const ShiftOrderReport& order) { return order.ok; });
}

namespace {

using Clock = std::chrono::steady_clock;

// Carries verdicts from the loop thread to the packer thread.
class VerdictChannel final : public StationObserver {
  public:
    explicit VerdictChannel(bool log_confirmations) : log_confirmations_(log_confirmations) {}

    void on_verdict(const Verdict& verdict) override {
        if (log_confirmations_ && verdict.kind == VerdictKind::Confirmed && verdict.parcel) {
            // Printed only after the commit: a line here is a promise the store keeps.
            // One write of the whole line, so that another thread's output
            // (sync's log lines) cannot land in the middle of it.
            std::cout << ("CONFIRMED " + std::to_string(verdict.parcel->id) + ' ' +
                          verdict.parcel->order_id + ' ' + verdict.parcel->tracking_number + '\n')
                      << std::flush;
        }
        std::lock_guard lock(mutex_);
        verdicts_.push_back(verdict);
        ready_.notify_one();
    }

    std::optional<Verdict> wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!ready_.wait_for(lock, timeout, [&] { return !verdicts_.empty(); }))
            return std::nullopt;
        Verdict verdict = std::move(verdicts_.front());
        verdicts_.pop_front();
        return verdict;
    }

  private:
    bool log_confirmations_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Verdict> verdicts_;
};

bool terminal(ParcelState state) {
    return state == ParcelState::Confirmed || state == ParcelState::Abandoned;
}

// The scripted packer. It looks at what the station shows (the verdicts) and
// does what a careful packer would, except where a mistake is planted.
class Packer {
  public:
    Packer(const ShiftOptions& options, const demo::DemoData& data, VerdictChannel& channel,
           hardware::SimulatedScanner& scanner, hardware::SimulatedScale& scale,
           hardware::SimulatedLabelPrinter& printer, std::optional<Parcel> restored,
           std::map<std::string, std::map<std::string, int>> shipped)
        : options_(options),
          data_(data),
          channel_(channel),
          scanner_(scanner),
          scale_(scale),
          printer_(printer),
          current_(std::move(restored)),
          shipped_(std::move(shipped)),
          random_(options.seed ^ 0x9E3779B97F4A7C15ULL) {
        for (const Sku& sku : data.batch.skus)
            catalogue_.emplace(sku.sku, sku);
        for (const Packaging& packaging : data.batch.packaging)
            tare_[packaging.code] = packaging.tare_g;
    }

    Status run(ShiftReport& report) {
        std::vector<const demo::PlannedOrder*> order;
        for (const auto& planned : data_.plan)
            order.push_back(&planned);
        // After a restart the parcel on the bench is finished first.
        if (current_ && !terminal(current_->state)) {
            auto first = std::find_if(order.begin(), order.end(), [&](const auto* planned) {
                return planned->order.id == current_->order_id;
            });
            if (first != order.end()) std::rotate(order.begin(), first, first + 1);
        }
        if (options_.config.packers.sign_in_required) {
            auto signed_in = scan(std::string(kPackerPrefix) + options_.config.packer);
            if (!signed_in.ok()) return signed_in.error().context("signing in");
        }
        for (const demo::PlannedOrder* planned : order) {
            ShiftOrderReport entry;
            entry.order_id = planned->order.id;
            entry.mistake = planned->mistake;
            if (auto status = pack(*planned, entry); !status.ok()) return status;
            report.orders.push_back(std::move(entry));
        }
        return {};
    }

  private:
    // ---- talking to the station -----------------------------------------

    Result<Verdict> next_verdict() {
        auto verdict = channel_.wait(std::chrono::milliseconds(options_.step_timeout_ms));
        if (!verdict)
            return Error(errors::kShiftTimeout, "the station gave no answer within " +
                                                    std::to_string(options_.step_timeout_ms) +
                                                    " ms");
        // A step the store could not record (a full disk, an I/O error) ends
        // the shift at once: the station refuses every later step for the
        // same reason, and a packer waiting on a scale or a label would wait
        // for ever, a refusal at every reading, saying nothing. A busy
        // database is the exception: it passes, and the packer scans again.
        if (verdict->kind == VerdictKind::Rejected && verdict->code.rfind("store.", 0) == 0 &&
            verdict->code != errors::kStoreBusy)
            return Error(verdict->code, "the station could not record a step: " + verdict->message);
        if (verdict->parcel) current_ = verdict->parcel;
        if (verdict->kind == VerdictKind::Exception && entry_ != nullptr)
            entry_->caught.push_back(verdict->code);
        return *verdict;
    }

    Result<Verdict> scan(const std::string& data) {
        if (options_.pace_ms > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(options_.pace_ms));
        if (!scanner_.scan(data))
            return Error(errors::kShiftScanner, "the simulated scanner is closed");
        return next_verdict();
    }

    // Waits until the parcel leaves `state` (weighing and printing run on
    // device time, not on scans).
    Status wait_while(ParcelState state) {
        while (current_ && current_->state == state) {
            auto verdict = next_verdict();
            if (!verdict.ok()) return verdict.error().context("waiting for the station");
        }
        return {};
    }

    Status settle_scale_at_zero() {
        scale_.remove();
        const auto deadline = Clock::now() + std::chrono::milliseconds(options_.step_timeout_ms);
        while (Clock::now() < deadline) {
            auto last = scale_.last();
            if (last && last->status == hardware::WeightStatus::AtZero) return {};
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return Error(errors::kShiftScale, "the simulated scale did not return to zero");
    }

    // ---- what the packer knows of the goods -------------------------------

    const Sku& sku(const std::string& id) const { return catalogue_.at(id); }

    std::string item_scan(const Sku& item, const std::string& serial) {
        const std::string& gtin14 = item.barcodes.front();
        if (item.serial_required)  // GS1 DataMatrix: AI 01 GTIN, AI 21 serial (last, no GS needed)
            return "]d2"
                   "01" +
                   gtin14 + "21" + serial;
        switch (random_() % 3) {
            case 0:
                return "]E0" + gtin14.substr(1);  // EAN-13 with AIM identifier
            case 1:
                return gtin14.substr(2);  // the UPC-A form of the same GTIN
            default:
                return gtin14.substr(1);  // plain EAN-13
        }
    }

    // Lines this parcel still needs: order minus shipped minus scanned.
    std::vector<OrderLine> remaining(const Order& order, const Parcel& parcel) {
        std::vector<OrderLine> left;
        auto& shipped = shipped_[order.id];
        for (const OrderLine& line : order.lines) {
            int count = line.quantity - shipped[line.sku];
            for (const ScannedItem& item : parcel.items)
                if (item.sku == line.sku) --count;
            if (count > 0) left.push_back({line.sku, count});
        }
        return left;
    }

    double true_weight(const Parcel& parcel, const Order& order) {
        double grams =
            tare_.count(order.packaging) ? tare_[order.packaging] : options_.config.default_tare_g;
        for (const ScannedItem& item : parcel.items)
            grams += sku(item.sku).unit_weight_g;
        // Real goods are never exactly their catalogue weight.
        std::uniform_real_distribution<double> spread(-0.3, 0.3);
        return grams + spread(random_) * options_.config.tolerance.abs_g;
    }

    std::string other_label_payload(const std::string& order_id) {
        auto jobs = printer_.jobs();
        for (auto job = jobs.rbegin(); job != jobs.rend(); ++job) {
            auto document = labels::inspect_zpl(job->data);
            if (!document.ok()) continue;
            for (const auto& barcode : document.value().barcodes)
                if (barcode.type == "qr" &&
                    barcode.data.find("|" + order_id + "|") == std::string::npos)
                    return barcode.data;
        }
        return "PL1|SO-00000|1Z999AA10123456784";
    }

    Result<std::string> label_payload(const Parcel& parcel) {
        auto data = printer_.job_data(parcel.label_job_id);
        if (!data) return Error(errors::kShiftLabel, "no printed job " + parcel.label_job_id);
        auto document = labels::inspect_zpl(*data);
        if (!document.ok()) return document.error().context("printed label");
        for (const auto& barcode : document.value().barcodes)
            if (barcode.type == "qr") return barcode.data;
        return Error(errors::kShiftLabel, "the printed label has no QR code");
    }

    // ---- one order --------------------------------------------------------

    Status pack(const demo::PlannedOrder& planned, ShiftOrderReport& entry) {
        entry_ = &entry;
        const Order& order = planned.order;
        const Mistake mistake = planned.mistake;
        bool planted = false;
        std::set<std::int64_t> counted;
        std::set<std::int64_t> parcels;
        int serial_counter = 0;

        for (int step = 0; step < 400; ++step) {
            const bool mine = current_ && current_->order_id == order.id;
            if (mine) parcels.insert(current_->id);
            if (!mine || terminal(current_->state)) {
                if (mine && current_->state == ParcelState::Confirmed &&
                    counted.insert(current_->id).second) {
                    for (const ScannedItem& item : current_->items)
                        ++shipped_[order.id][item.sku];
                    ++entry.confirmed;
                }
                if (mine && current_->state == ParcelState::Abandoned)
                    break;  // refused or given up
                Parcel none;
                none.order_id = order.id;
                if (remaining(order, none).empty()) break;  // everything shipped
                auto verdict = scan(order.id);
                if (!verdict.ok()) return verdict.error();
                if (verdict.value().kind == VerdictKind::Rejected) {
                    entry.problem = "order scan rejected: " + verdict.value().message;
                    break;
                }
                continue;
            }
            const Parcel parcel = *current_;
            Result<Verdict> verdict = Verdict{};
            switch (parcel.state) {
                case ParcelState::Scanning: {
                    auto left = remaining(order, parcel);
                    if (mistake == Mistake::WrongVariant && !planted) {
                        planted = true;
                        verdict = scan(item_scan(sku(wrong_variant_of(order)), ""));
                        break;
                    }
                    if (mistake == Mistake::RepeatedSerial && !planted) {
                        auto scanned = std::find_if(
                            parcel.items.begin(), parcel.items.end(),
                            [](const ScannedItem& item) { return !item.serial.empty(); });
                        if (scanned != parcel.items.end()) {
                            planted = true;
                            verdict = scan(item_scan(sku(scanned->sku), scanned->serial));
                            break;
                        }
                    }
                    int units_left = 0;
                    for (const OrderLine& line : left)
                        units_left += line.quantity;
                    if (mistake == Mistake::MissingItem && !planted && units_left == 1) {
                        planted = true;
                        verdict = scan("PL-CMD:CLOSE");
                        break;
                    }
                    if (mistake == Mistake::Split && parcel.sequence == 1 &&
                        !parcel.items.empty() && left.size() < order.lines.size() &&
                        !left.empty()) {
                        verdict = scan("PL-CMD:SPLIT");
                        break;
                    }
                    if (left.empty()) {
                        verdict = scan("PL-CMD:CLOSE");
                        break;
                    }
                    const Sku& next = sku(left.front().sku);
                    std::string serial;
                    if (next.serial_required)
                        serial = "SN" + order.id.substr(3) + "-" + std::to_string(parcel.sequence) +
                                 "-" + std::to_string(++serial_counter) + "-" +
                                 std::to_string(parcel.items.size());
                    verdict = scan(item_scan(next, serial));
                    break;
                }
                case ParcelState::Weighing: {
                    if (mistake == Mistake::ExtraItem && !planted) {
                        planted = true;
                        verdict = scan(item_scan(sku(order.lines.front().sku), "X"));
                        break;
                    }
                    double grams = true_weight(parcel, order);
                    if (mistake == Mistake::WeightOff && !planted) {
                        planted = true;
                        grams +=
                            parcel.expected_weight_g * 0.5 + 3 * options_.config.tolerance.abs_g;
                    }
                    if (mistake == Mistake::UnstableScale && !planted) {
                        planted = true;
                        scale_.wobble(true);
                    }
                    scale_.place(grams);
                    if (auto waited = wait_while(ParcelState::Weighing); !waited.ok())
                        return waited;
                    continue;
                }
                case ParcelState::Printing:
                    if (auto waited = wait_while(ParcelState::Printing); !waited.ok())
                        return waited;
                    continue;
                case ParcelState::AwaitingScanBack: {
                    if (mistake == Mistake::LabelOtherOrder && !planted) {
                        planted = true;
                        verdict = scan("]Q1" + other_label_payload(order.id));
                        break;
                    }
                    if (!printer_.job_data(parcel.label_job_id)) {
                        // The station restarted after printing: this printer
                        // never saw the job, so ask for the label again.
                        verdict = scan("PL-CMD:REPRINT");
                        break;
                    }
                    auto payload = label_payload(parcel);
                    if (!payload.ok()) return payload.error();
                    verdict = scan("]Q1" + payload.value());
                    if (verdict.ok() && verdict.value().kind == VerdictKind::Confirmed) {
                        if (auto zero = settle_scale_at_zero(); !zero.ok()) return zero;
                    }
                    break;
                }
                case ParcelState::Exception:
                    verdict = resolve(parcel);
                    break;
                case ParcelState::Confirmed:
                case ParcelState::Abandoned:
                    continue;
            }
            if (!verdict.ok()) return verdict.error().context("order " + order.id);
        }
        entry_ = nullptr;
        entry.parcels = static_cast<int>(parcels.size());
        if (current_ && current_->order_id == order.id) {
            entry.customer = current_->customer;
            entry.contents = current_->contents;
            entry.express = current_->express;
            entry.final_state = std::string(to_string(current_->state));
        }
        Parcel none;
        const bool shipped_all = remaining(order, none).empty();
        const std::string_view expected = expected_reason(mistake);
        if (!expected.empty() &&
            std::find(entry.caught.begin(), entry.caught.end(), expected) == entry.caught.end()) {
            entry.problem = "planted " + std::string(to_string(mistake)) + " was not caught as " +
                            std::string(expected);
        } else if (expected.empty() && !entry.caught.empty()) {
            entry.problem = "good order raised " + entry.caught.front();
        } else if (ends_confirmed(mistake) && !shipped_all) {
            entry.problem = "order was not fully confirmed";
        } else if (!ends_confirmed(mistake) && entry.confirmed > 0) {
            entry.problem = "a parcel was confirmed that must not ship";
        }
        entry.ok = entry.problem.empty();
        return {};
    }

    std::string wrong_variant_of(const Order& order) {
        for (const OrderLine& line : order.lines) {
            const Sku& wanted = sku(line.sku);
            for (const auto& entry : catalogue_) {
                const Sku& candidate = entry.second;
                if (candidate.style == wanted.style && candidate.sku != wanted.sku &&
                    !candidate.serial_required &&
                    std::none_of(
                        order.lines.begin(), order.lines.end(),
                        [&](const OrderLine& other) { return other.sku == candidate.sku; }))
                    return candidate.sku;
            }
        }
        return order.lines.front().sku;
    }

    // What a packer does when the screen shows an exception.
    Result<Verdict> resolve(const Parcel& parcel) {
        const std::string reason = parcel.exception ? parcel.exception->reason : "";
        if (reason == "customer.phone_invalid") {
            // The supervisor phones the customer, then overrides with a reason.
            auto badge = scan("PL-SUP:SUP-0001");
            if (!badge.ok()) return badge;
            return scan("PL-REASON:verified-by-phone");
        }
        if (reason == "weight.unstable" || reason == "weight.too_heavy" ||
            reason == "weight.too_light") {
            scale_.wobble(false);
            if (auto zero = settle_scale_at_zero(); !zero.ok()) return zero.error();
            return scan("PL-CMD:RETRY");
        }
        if (reason.rfind("contents.", 0) == 0 || reason.rfind("express.label_", 0) == 0 ||
            reason.rfind("express.print_", 0) == 0 || reason == "customer.waybill_mismatch")
            return scan("PL-CMD:RETRY");
        // Giving up on a parcel includes taking its box off the scale.
        if (auto zero = settle_scale_at_zero(); !zero.ok()) return zero.error();
        return scan("PL-CMD:ABANDON");
    }

    const ShiftOptions& options_;
    const demo::DemoData& data_;
    VerdictChannel& channel_;
    hardware::SimulatedScanner& scanner_;
    hardware::SimulatedScale& scale_;
    hardware::SimulatedLabelPrinter& printer_;
    std::optional<Parcel> current_;
    std::map<std::string, std::map<std::string, int>> shipped_;
    std::map<std::string, Sku> catalogue_;
    std::map<std::string, double> tare_;
    std::mt19937_64 random_;
    ShiftOrderReport* entry_ = nullptr;
};

}  // namespace

Result<ShiftReport> run_shift(const ShiftOptions& options, std::ostream& log) {
    const auto started = Clock::now();
    auto opened = Store::open(options.config.database);
    if (!opened.ok()) return opened.error().context("shift");
    Store& store = *opened.value();

    const demo::DemoData data =
        demo::make_demo_data(options.orders, options.seed, options.mistake_share);
    if (auto imported = store.import(data.batch); !imported.ok())
        return imported.error().context("shift: import");
    for (const auto& [carrier, numbers] : data.pool)
        if (auto added = store.add_pool_numbers(carrier, numbers); !added.ok())
            return added.error();

    // What earlier runs on this database already shipped (resuming after a crash).
    std::map<std::string, std::map<std::string, int>> shipped;
    for (const auto& planned : data.plan) {
        auto parcels = store.parcels_for_order(planned.order.id);
        if (!parcels.ok()) return parcels.error();
        for (const Parcel& parcel : parcels.value())
            if (parcel.state == ParcelState::Confirmed)
                for (const ScannedItem& item : parcel.items)
                    ++shipped[planned.order.id][item.sku];
    }

    hardware::SimulatedScanner scanner("sim-scanner");
    hardware::SimulatedScaleOptions scale_options;
    scale_options.seed = options.seed;
    hardware::SimulatedScale scale("sim-scale", scale_options);
    hardware::SimulatedLabelPrinter printer("sim-printer");
    hardware::SimulatedIndicator indicator("sim-indicator");

    PackingStation station(store, options.config, StationDevices{&printer, &indicator});
    VerdictChannel channel(options.log_confirmations);
    const ObserverSubscription channel_subscription = station.add_observer(channel);
    if (auto restored = station.restore(); !restored.ok()) return restored.error();
    // restore() may already have reported; the packer reads the state directly.
    std::optional<Parcel> restored = station.parcel();
    while (channel.wait(std::chrono::milliseconds(0))) {
    }

    StationLoop loop(station);
    std::unique_ptr<StationObserver> attachment;
    ObserverSubscription attachment_subscription;  // goes before the attachment
    if (options.attach) {
        auto attached = options.attach(loop, station, store);
        if (!attached.ok()) return attached.error().context("shift");
        attachment = std::move(attached.value());
        if (attachment) attachment_subscription = station.add_observer(*attachment);
    }
    for (hardware::Device* device :
         std::initializer_list<hardware::Device*>{&scanner, &scale, &printer, &indicator}) {
        if (auto status = device->open(loop); !status.ok()) return status.error();
        // Simulated devices do not report their health; the screen and the
        // status list them as present.
        loop.post(hardware::DeviceStatusEvent{device->id(), device->kind(),
                                              hardware::DeviceHealth::Present, "simulated",
                                              hardware::now_ms()});
    }

    ShiftReport report;
    Status outcome;
    std::thread packer_thread([&] {
        Packer packer(options, data, channel, scanner, scale, printer, restored, shipped);
        outcome = packer.run(report);
        loop.stop();
    });
    loop.run();
    packer_thread.join();
    if (attachment && options.finish) options.finish(*attachment);
    attachment.reset();
    for (hardware::Device* device :
         std::initializer_list<hardware::Device*>{&scanner, &scale, &printer, &indicator})
        device->close();
    if (!outcome.ok()) return outcome.error();

    for (const ShiftOrderReport& order : report.orders) {
        if (order.mistake == Mistake::None || order.mistake == Mistake::Split) {
            ++report.good;
            if (order.ok) ++report.good_confirmed;
        } else {
            ++report.planted;
            if (std::find(order.caught.begin(), order.caught.end(),
                          expected_reason(order.mistake)) != order.caught.end())
                ++report.caught;
        }
        report.parcels_confirmed += order.confirmed;
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    (void)log;
    return report;
}

void print_shift_report(const ShiftReport& report, std::ostream& out) {
    auto mark = [](CheckStatus status) -> std::string {
        switch (status) {
            case CheckStatus::Passed:
                return "pass";
            case CheckStatus::Failed:
                return "FAIL";
            case CheckStatus::Overridden:
                return "override";
            case CheckStatus::Pending:
                return "-";
        }
        return "?";
    };
    out << std::left << std::setw(10) << "order" << std::setw(4) << "pcl" << std::setw(22)
        << "planted" << std::setw(10) << "customer" << std::setw(10) << "contents" << std::setw(10)
        << "express" << std::setw(11) << "final" << std::setw(6) << "ok"
        << "exceptions raised\n";
    out << std::string(110, '-') << '\n';
    for (const ShiftOrderReport& order : report.orders) {
        std::string caught;
        for (const std::string& reason : order.caught)
            caught += (caught.empty() ? "" : ", ") + reason;
        out << std::left << std::setw(10) << order.order_id << std::setw(4) << order.parcels
            << std::setw(22) << to_string(order.mistake) << std::setw(10) << mark(order.customer)
            << std::setw(10) << mark(order.contents) << std::setw(10) << mark(order.express)
            << std::setw(11) << order.final_state << std::setw(6) << (order.ok ? "yes" : "NO")
            << caught;
        if (!order.problem.empty()) out << "  <-- " << order.problem;
        out << '\n';
    }
    out << std::string(110, '-') << '\n';
    out << "orders: " << report.orders.size()
        << "   parcels confirmed: " << report.parcels_confirmed
        << "   planted mistakes caught: " << report.caught << "/" << report.planted
        << "   good orders confirmed: " << report.good_confirmed << "/" << report.good
        << "   time: " << std::fixed << std::setprecision(2) << report.seconds << " s\n";
    out << (report.success()
                ? "RESULT: every planted mistake was caught and every good parcel confirmed\n"
                : "RESULT: FAILED (see the rows marked NO)\n");
}

}  // namespace packline::station
