// Whatever a scanner, a scale or a printer sends, the packing station answers
// with a verdict and keeps a consistent parcel: it never crashes. Each input
// line is one device event: "W<grams> <status>" a scale reading, "P<state>"
// a print job update for the current label, "T" a timeout tick, anything
// else the bytes of a scan.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/queue_sink.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/station/barcode.h"
#include "packline/station/packing_station.h"
#include "packline/station/store.h"

namespace {

using namespace packline;

class Counter final : public station::StationObserver {
  public:
    void on_verdict(const station::Verdict&) override { ++verdicts; }
    int verdicts = 0;
};

station::ImportBatch catalogue() {
    station::ImportBatch batch;
    station::Sku tee;
    tee.sku = "TEE-RED-L";
    tee.name = "Red Tee L";
    tee.style = "TEE";
    tee.size = "L";
    tee.colour = "Red";
    tee.unit_weight_g = 200;
    tee.barcodes = {station::normalize_barcode("4006381333931")};
    station::Sku buds = tee;
    buds.sku = "BUDS";
    buds.style = "BUDS";
    buds.serial_required = true;
    buds.barcodes = {station::normalize_barcode("09506000134352")};
    batch.skus = {tee, buds};
    station::Order order;
    order.id = "A-1";
    order.recipient = {
        "Jane Doe", "+1 415-555-0132", {{"1 Market St"}, "San Francisco", "CA", "94105", "US"}};
    order.carrier = "ups";
    order.tracking_number = "1Z5R89390357567127";
    order.lines = {{"TEE-RED-L", 2}, {"BUDS", 1}};
    batch.orders = {order};
    return batch;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto store = station::Store::open(":memory:");
    if (!store.ok() || !store.value()->import(catalogue()).ok()) std::abort();
    hardware::BoundedQueue<hardware::DeviceEvent> queue(256);
    hardware::QueueSink sink(queue);
    hardware::SimulatedLabelPrinter printer("printer");
    if (!printer.open(sink).ok()) std::abort();
    station::StationConfig config;
    config.weigh_timeout_ms = 0;
    station::PackingStation station(*store.value(), config,
                                    station::StationDevices{&printer, nullptr});
    Counter counter;
    const auto subscription = station.add_observer(counter);

    std::string_view input(reinterpret_cast<const char*>(data), size);
    int events = 0;
    while (!input.empty() && events < 64) {
        const std::size_t end = input.find('\n');
        const std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        ++events;
        if (!line.empty() && line[0] == 'W') {
            const std::string text(line.substr(1));
            const double grams = std::strtod(text.c_str(), nullptr);
            const auto status =
                static_cast<hardware::WeightStatus>(static_cast<unsigned char>(line.back()) % 6);
            station.handle(hardware::WeightReading{"scale", grams, status, 0});
        } else if (!line.empty() && line[0] == 'P') {
            const auto state = static_cast<hardware::PrintJobState>(
                line.size() > 1 ? static_cast<unsigned char>(line[1]) % 4 : 0);
            const std::string job = station.parcel() ? station.parcel()->label_job_id : "";
            station.handle(hardware::PrintJobUpdate{"printer", job, state, std::string(line), 0});
        } else if (line == "T") {
            station.tick(hardware::now_ms() + 3600000);
        } else {
            station.handle(hardware::ScanEvent{"scanner", std::string(line), 0});
        }
        while (auto event = queue.pop_for(std::chrono::milliseconds(0)))
            station.handle(*event);
    }
    printer.close();
    // What is in memory is what the store holds.
    auto active = store.value()->active_parcel(config.station_id);
    if (!active.ok()) std::abort();
    const auto& parcel = station.parcel();
    if (parcel && parcel->state != station::ParcelState::Confirmed &&
        parcel->state != station::ParcelState::Abandoned) {
        if (!active.value() || active.value()->id != parcel->id ||
            active.value()->state != parcel->state ||
            active.value()->items.size() != parcel->items.size())
            std::abort();
    }
    return 0;
}
