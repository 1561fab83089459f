// The packing state machine against a real SQLite store and simulated
// devices: each test is a short scene at the bench.
#include "packline/station/packing_station.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "packline/hardware/bounded_queue.h"
#include "packline/hardware/queue_sink.h"
#include "packline/hardware/simulated_label_printer.h"
#include "packline/labels/label_code.h"
#include "packline/labels/zpl_inspect.h"
#include "packline/station/barcode.h"
#include "packline/station/store.h"
#include "station_scene.h"

namespace packline::station {
namespace {

using hardware::WeightReading;
using hardware::WeightStatus;

class Screen final : public StationObserver {
  public:
    void on_verdict(const Verdict& verdict) override { verdicts.push_back(verdict); }
    const Verdict& last() const { return verdicts.back(); }
    std::vector<Verdict> verdicts;
};

Sku make_sku(std::string id, std::string style, std::string size, std::string colour, double grams,
             std::string barcode, bool serial = false) {
    Sku sku;
    sku.sku = std::move(id);
    sku.name = colour + " " + style + " " + size;
    sku.style = std::move(style);
    sku.size = std::move(size);
    sku.colour = std::move(colour);
    sku.unit_weight_g = grams;
    sku.barcodes = {normalize_barcode(barcode)};
    sku.serial_required = serial;
    return sku;
}

// The scene's order A-1 (station_scene.h): one recipient, UPS.
using testing::scene_order;

class PackingStationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("packline-station-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        config_.database = (dir_ / "station.db").string();
        config_.weigh_timeout_ms = 100;
        open_store();
        ImportBatch batch;
        batch.skus = {make_sku("TEE-RED-L", "TEE", "L", "Red", 200, "4006381333931"),
                      make_sku("TEE-RED-M", "TEE", "M", "Red", 190, "4006381333948"),
                      make_sku("MUG", "MUG", "One", "White", 350, "036000291452"),
                      make_sku("BUDS", "BUDS", "One", "Black", 120, "09506000134352", true)};
        batch.packaging = {{"BOX", "Box", 100}};
        batch.orders = {scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}})};
        ASSERT_TRUE(store_->import(batch).ok());
        ASSERT_TRUE(printer_.open(sink_).ok());
        start_station();
    }

    void TearDown() override {
        printer_.close();
        station_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    void open_store() {
        auto store = Store::open(config_.database);
        ASSERT_TRUE(store.ok()) << store.error().message;
        store_ = std::move(store.value());
    }

    void start_station() {
        station_ =
            std::make_unique<PackingStation>(*store_, config_, StationDevices{&printer_, nullptr});
        screen_subscription_ = station_->add_observer(screen_);
        ASSERT_TRUE(station_->restore().ok());
    }

    void scan(const std::string& data) {
        station_->handle(hardware::ScanEvent{"scanner", data, 0});
    }

    void weigh(double grams, WeightStatus status = WeightStatus::Stable) {
        station_->handle(WeightReading{"scale", grams, status, 0});
    }

    // Delivers what the simulated printer reported (its own thread posts).
    void pump_printer() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (station_->parcel() && station_->parcel()->state == ParcelState::Printing &&
               std::chrono::steady_clock::now() < deadline) {
            if (auto event = queue_.pop_for(std::chrono::milliseconds(20)))
                station_->handle(*event);
        }
    }

    std::string printed_qr() {
        auto data = printer_.job_data(station_->parcel()->label_job_id);
        EXPECT_TRUE(data.has_value());
        auto document = labels::inspect_zpl(data.value_or(""));
        EXPECT_TRUE(document.ok());
        for (const auto& barcode : document.value().barcodes)
            if (barcode.type == "qr") return barcode.data;
        return {};
    }

    void device(const std::string& id, hardware::DeviceKind kind, hardware::DeviceHealth health,
                std::string detail = {}) {
        station_->handle(hardware::DeviceStatusEvent{id, kind, health, std::move(detail), 0});
    }

    ParcelState state() const { return station_->parcel()->state; }

    void pack_a1_to_scan_back() {
        scan("A-1");
        scan("]E04006381333931");
        scan("036000291452");  // UPC-A of the MUG's GTIN
        ASSERT_EQ(state(), ParcelState::Weighing);
        weigh(200 + 350 + 100 + 4);
        pump_printer();
        ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    }

    std::filesystem::path dir_;
    StationConfig config_;
    std::unique_ptr<Store> store_;
    hardware::BoundedQueue<hardware::DeviceEvent> queue_{64};
    hardware::QueueSink sink_{queue_};
    hardware::SimulatedLabelPrinter printer_{"printer"};
    Screen screen_;
    std::unique_ptr<PackingStation> station_;
    ObserverSubscription screen_subscription_;
};

TEST_F(PackingStationTest, GoodParcelPassesAllThreeChecksAndIsConfirmedOnce) {
    pack_a1_to_scan_back();
    scan("]Q1" + printed_qr());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    const Parcel& parcel = *station_->parcel();
    EXPECT_EQ(parcel.state, ParcelState::Confirmed);
    EXPECT_EQ(parcel.customer, CheckStatus::Passed);
    EXPECT_EQ(parcel.contents, CheckStatus::Passed);
    EXPECT_EQ(parcel.express, CheckStatus::Passed);
    EXPECT_EQ(parcel.tracking_number, "1Z5R89390357567127");
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    // The hub hears that packing started, then the confirmation.
    EXPECT_EQ(testing::outbox_event_kinds(*store_), std::vector<std::string>{"packing_started"});
    auto outbox = testing::outbox_rows(*store_, "shipments");
    ASSERT_EQ(outbox.size(), 1u);
    EXPECT_NE(outbox[0].payload.find("\"tracking_number\":\"1Z5R89390357567127\""),
              std::string::npos);
    EXPECT_EQ(store_->find_order("A-1").value()->status, OrderStatus::Packed);

    // Scanning the order again is refused: it is packed.
    scan("A-1");
    EXPECT_EQ(screen_.last().code, "customer.order_already_packed");
    EXPECT_EQ(store_->count_confirmations().value(), 1);
}

TEST_F(PackingStationTest, CancelledOrderIsRefusedAtTheFirstScan) {
    Order cancelled = scene_order("A-2", {{"MUG", 1}}, "");
    cancelled.status = OrderStatus::Cancelled;
    ASSERT_TRUE(store_->upsert_order(cancelled).ok());
    scan("A-2");
    EXPECT_EQ(screen_.last().kind, VerdictKind::Exception);
    EXPECT_EQ(screen_.last().code, "customer.order_cancelled");
    EXPECT_EQ(state(), ParcelState::Abandoned);
    // The station is free for the next order straight away.
    scan("A-1");
    EXPECT_EQ(state(), ParcelState::Scanning);
}

TEST_F(PackingStationTest, WrongVariantIsAnExceptionUntilRetry) {
    scan("A-1");
    scan("4006381333948");  // Red M, the order wants Red L
    EXPECT_EQ(screen_.last().code, "contents.wrong_variant");
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_TRUE(station_->parcel()->items.empty());
    scan("4006381333931");  // ignored until the packer acknowledges
    EXPECT_EQ(screen_.last().code, "parcel.in_exception");
    scan("PL-CMD:RETRY");
    EXPECT_EQ(state(), ParcelState::Scanning);
    scan("4006381333931");
    EXPECT_EQ(station_->parcel()->items.size(), 1u);
}

TEST_F(PackingStationTest, GarbageAndUnknownScansChangeNothing) {
    scan("");
    EXPECT_EQ(screen_.last().kind, VerdictKind::Rejected);
    scan(std::string("\x01\x02\xff\xfe", 4));
    EXPECT_EQ(screen_.last().kind, VerdictKind::Rejected);
    scan("NO-SUCH-ORDER");
    EXPECT_EQ(screen_.last().code, "order.unknown");
    EXPECT_FALSE(station_->parcel().has_value());
    EXPECT_FALSE(store_->active_parcel(config_.station_id).value().has_value());
}

TEST_F(PackingStationTest, RestartResumesTheSameParcel) {
    scan("A-1");
    scan("4006381333931");
    const std::int64_t id = station_->parcel()->id;
    station_.reset();  // the process dies here
    start_station();
    ASSERT_TRUE(station_->parcel().has_value());
    EXPECT_EQ(station_->parcel()->id, id);
    EXPECT_EQ(state(), ParcelState::Scanning);
    EXPECT_EQ(station_->parcel()->items.size(), 1u);
    scan("036000291452");
    EXPECT_EQ(state(), ParcelState::Weighing);
}

TEST_F(PackingStationTest, WeightOutsideToleranceAndScaleFaultsAreNeverAccepted) {
    scan("A-1");
    scan("4006381333931");
    scan("036000291452");
    weigh(500, WeightStatus::InMotion);
    EXPECT_EQ(state(), ParcelState::Weighing);  // still settling: wait
    weigh(-20, WeightStatus::UnderZero);
    EXPECT_EQ(screen_.last().code, "weight.negative");
    scan("PL-CMD:RETRY");
    weigh(30000, WeightStatus::Overload);
    EXPECT_EQ(screen_.last().code, "weight.overload");
    scan("PL-CMD:RETRY");
    weigh(650 + 200);  // expected 650 g; tolerance max(20 g, 5 %) = 32.5 g
    EXPECT_EQ(screen_.last().code, "weight.too_heavy");
    scan("PL-CMD:RETRY");
    weigh(650 - 32);
    pump_printer();
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack);
}

TEST_F(PackingStationTest, ScaleThatNeverSettlesTimesOutAsUnstable) {
    scan("A-1");
    scan("4006381333931");
    scan("036000291452");
    weigh(660, WeightStatus::InMotion);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    station_->tick(hardware::now_ms());
    EXPECT_EQ(screen_.last().code, "weight.unstable");
}

TEST_F(PackingStationTest, LabelOfAnotherOrderIsCaughtAtScanBack) {
    pack_a1_to_scan_back();
    scan("]Q1" + labels::label_code_payload("A-9", "1Z5R89390357567127"));
    EXPECT_EQ(screen_.last().code, "express.label_other_order");
    scan("PL-CMD:RETRY");
    scan("]Q1" + printed_qr());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed);
}

TEST_F(PackingStationTest, TrackingNumberIsNeverUsedTwice) {
    pack_a1_to_scan_back();
    scan("]Q1" + printed_qr());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed);
    // A second order that was (wrongly) assigned the same number centrally.
    ASSERT_TRUE(store_->upsert_order(scene_order("A-3", {{"MUG", 1}})).ok());
    scan("A-3");
    scan("036000291452");
    weigh(450);
    EXPECT_EQ(screen_.last().code, "express.tracking_reused");
    EXPECT_EQ(store_->count_confirmations().value(), 1);
}

TEST_F(PackingStationTest, SupervisorOverrideIsAuditedAndUnknownBadgesRefused) {
    Order bad_phone = scene_order("A-4", {{"MUG", 1}}, "");
    bad_phone.recipient.phone = "12";
    bad_phone.carrier = "ups";
    ASSERT_TRUE(store_->upsert_order(bad_phone).ok());
    ASSERT_TRUE(store_->add_pool_numbers("ups", {"1Z879E930346834440"}).ok());
    scan("A-4");
    EXPECT_EQ(screen_.last().code, "customer.phone_invalid");
    scan("PL-SUP:NOBODY");
    EXPECT_EQ(screen_.last().code, "override.unknown_badge");
    scan("PL-REASON:verified-by-phone");
    EXPECT_EQ(screen_.last().code, "override.no_supervisor");
    scan("PL-SUP:SUP-0001");
    scan("PL-REASON:verified-by-phone");
    EXPECT_EQ(screen_.last().code, "parcel.override");
    EXPECT_EQ(station_->parcel()->customer, CheckStatus::Overridden);
    EXPECT_EQ(state(), ParcelState::Scanning);
    auto events = store_->events_for_parcel(station_->parcel()->id);
    ASSERT_TRUE(events.ok());
    bool audited = false;
    for (const auto& event : events.value())
        if (event.type == "parcel.override" && event.payload.find("SUP-0001") != std::string::npos)
            audited = true;
    EXPECT_TRUE(audited);
    // The pool supplies the tracking number for orders without one.
    scan("036000291452");
    weigh(450);
    pump_printer();
    EXPECT_EQ(station_->parcel()->tracking_number, "1Z879E930346834440");

    // A restart between the override and the confirmation loses nothing: the
    // confirmation still carries the audited override.
    const std::string qr = printed_qr();
    station_.reset();
    start_station();
    scan("]Q1" + qr);
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(testing::outbox_event_kinds(*store_),
              (std::vector<std::string>{"packing_started", "exception", "override"}));
    auto outbox = testing::outbox_rows(*store_, "shipments");
    ASSERT_EQ(outbox.size(), 1u);
    EXPECT_NE(outbox[0].payload.find("\"override_reason\":\"verified-by-phone\""),
              std::string::npos)
        << outbox[0].payload;
    EXPECT_NE(outbox[0].payload.find("\"customer\":\"overridden\""), std::string::npos);
}

TEST_F(PackingStationTest, SplitOrderShipsInTwoParcels) {
    ASSERT_TRUE(store_->add_pool_numbers("ups", {"1Z879E930346834440"}).ok());
    scan("A-1");
    scan("4006381333931");
    scan("PL-CMD:SPLIT");
    EXPECT_EQ(state(), ParcelState::Weighing);
    weigh(300);
    pump_printer();
    scan("]Q1" + printed_qr());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(store_->find_order("A-1").value()->status, OrderStatus::Open);

    scan("A-1");
    EXPECT_EQ(station_->parcel()->sequence, 2);
    scan("4006381333931");  // the first parcel already holds the tee
    EXPECT_EQ(screen_.last().code, "contents.over_quantity");
    scan("PL-CMD:RETRY");
    scan("036000291452");
    weigh(450);
    pump_printer();
    EXPECT_EQ(station_->parcel()->tracking_number, "1Z879E930346834440");
    scan("]Q1" + printed_qr());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
    EXPECT_EQ(store_->find_order("A-1").value()->status, OrderStatus::Packed);
    EXPECT_EQ(store_->count_confirmations().value(), 2);
}

TEST_F(PackingStationTest, PrePrintedWaybillFindsItsOrderAndAForeignOneIsCaught) {
    ASSERT_TRUE(store_->upsert_order(scene_order("A-6", {{"MUG", 1}}, "1Z879E930346834440")).ok());
    scan("1Z 5R8 939 0357567127");  // the waybill on the parcel, as a person might type it
    ASSERT_TRUE(station_->parcel().has_value());
    EXPECT_EQ(station_->parcel()->order_id, "A-1");
    EXPECT_EQ(station_->parcel()->tracking_number, "1Z5R89390357567127");
    EXPECT_EQ(station_->parcel()->customer, CheckStatus::Passed);
    scan("1Z5R89390357567127");  // the same waybill again: fine
    EXPECT_EQ(screen_.last().code, "customer.waybill_ok");
    scan("1Z879E930346834440");  // a waybill that belongs to order A-6
    EXPECT_EQ(screen_.last().code, "customer.waybill_mismatch");
    EXPECT_EQ(state(), ParcelState::Exception);
}

TEST_F(PackingStationTest, MissingItemIsCaughtWhenThePackerClosesEarly) {
    scan("A-1");
    scan("4006381333931");
    scan("PL-CMD:CLOSE");
    EXPECT_EQ(screen_.last().code, "contents.missing_item");
    EXPECT_EQ(state(), ParcelState::Exception);
}

TEST_F(PackingStationTest, SerialNumbersAreCapturedAndNeverRepeated) {
    ASSERT_TRUE(store_->upsert_order(scene_order("A-5", {{"BUDS", 2}}, "")).ok());
    scan("A-5");
    scan("]d2010950600013435221SN-1");
    ASSERT_EQ(station_->parcel()->items.size(), 1u);
    EXPECT_EQ(station_->parcel()->items[0].serial, "SN-1");
    scan("]d2010950600013435221SN-1");
    EXPECT_EQ(screen_.last().code, "contents.serial_repeated");
    scan("PL-CMD:RETRY");
    scan("09506000134352");  // no serial in a plain EAN scan
    EXPECT_EQ(screen_.last().code, "contents.serial_required");
}

TEST_F(PackingStationTest, FullDiskRefusesTheStepAndLosesNothing) {
    pack_a1_to_scan_back();
    scan("]Q1" + printed_qr());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed);
    const std::int64_t confirmed_id = station_->parcel()->id;

    // Reopen the same database capped at its current size: the disk is full.
    station_.reset();
    store_.reset();
    StoreOptions full;
    full.max_page_count = 1;  // "at its current size"
    auto capped = Store::open(config_.database, full);
    ASSERT_TRUE(capped.ok()) << capped.error().message;
    store_ = std::move(capped.value());
    start_station();
    ImportBatch more;
    for (int i = 0; i < 50; ++i)
        more.orders.push_back(scene_order("F-" + std::to_string(i), {{"MUG", 1}}, ""));
    (void)store_->import(more);  // may or may not fit; the scans below fill the rest

    bool refused = false;
    for (int i = 0; i < 400 && !refused; ++i) {
        scan(i % 2 == 0 ? "A-1" : "NO-SUCH-ORDER");
        for (const Verdict& verdict : screen_.verdicts)
            if (verdict.code == "store.full") refused = true;
    }
    ASSERT_TRUE(refused) << "the capped store never filled up";
    EXPECT_NE(screen_.last().message.find("nothing was recorded"), std::string::npos)
        << screen_.last().message;

    // Space again: everything confirmed before is still there, exactly once.
    station_.reset();
    store_.reset();
    open_store();
    auto parcel = store_->find_parcel(confirmed_id);
    ASSERT_TRUE(parcel.ok() && parcel.value());
    EXPECT_EQ(parcel.value()->state, ParcelState::Confirmed);
    EXPECT_EQ(store_->count_confirmations().value(), 1);
    EXPECT_EQ(testing::outbox_rows(*store_, "shipments").size(), 1u);
    EXPECT_TRUE(store_->integrity_check().ok());
}

TEST_F(PackingStationTest, ScaleUnpluggedWhileWeighingPausesAndTheParcelResumes) {
    using hardware::DeviceHealth;
    using hardware::DeviceKind;
    device("scale", DeviceKind::Scale, DeviceHealth::Present);
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    ASSERT_EQ(state(), ParcelState::Weighing);
    weigh(300, WeightStatus::InMotion);

    device("scale", DeviceKind::Scale, DeviceHealth::Absent, "scale unplugged");
    EXPECT_EQ(screen_.last().code, "device.paused");
    EXPECT_NE(screen_.last().message.find("scale unplugged"), std::string::npos)
        << screen_.last().message;
    // The weigh timeout does not turn the outage into weight.unstable.
    station_->tick(hardware::now_ms() + 10 * config_.weigh_timeout_ms);
    EXPECT_EQ(state(), ParcelState::Weighing);
    // Repeating the same health changes nothing and says nothing.
    const auto said = screen_.verdicts.size();
    device("scale", DeviceKind::Scale, DeviceHealth::Absent, "scale unplugged");
    EXPECT_EQ(screen_.verdicts.size(), said);

    device("scale", DeviceKind::Scale, DeviceHealth::Present);
    EXPECT_EQ(screen_.last().code, "device.resumed");
    EXPECT_EQ(state(), ParcelState::Weighing);
    weigh(200 + 350 + 100 + 4);
    pump_printer();
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    scan("]Q1" + printed_qr());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(PackingStationTest, PrinterAwayWhenTheLabelIsDueWaitsAndPrintsWhenItIsBack) {
    using hardware::DeviceHealth;
    using hardware::DeviceKind;
    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Faulty,
           "printer paused: out of labels (media-empty)");
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    weigh(200 + 350 + 100 + 4);
    EXPECT_EQ(screen_.last().code, "device.paused");
    EXPECT_NE(screen_.last().message.find("out of labels"), std::string::npos);
    EXPECT_EQ(state(), ParcelState::Weighing);
    EXPECT_EQ(station_->parcel()->contents, CheckStatus::Passed);
    EXPECT_TRUE(printer_.jobs().empty());

    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Present);
    pump_printer();
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    EXPECT_EQ(printer_.jobs().size(), 1u);
    scan("]Q1" + printed_qr());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(PackingStationTest, RestartWhileTheLabelWaitsKeepsTheWeightAndPrints) {
    using hardware::DeviceHealth;
    using hardware::DeviceKind;
    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Absent, "printer unplugged");
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    weigh(200 + 350 + 100 + 4);
    ASSERT_EQ(state(), ParcelState::Weighing);
    // The new process knows nothing of the printer's health yet and carries
    // on with the express check: no second weighing.
    start_station();
    pump_printer();
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    EXPECT_EQ(printer_.jobs().size(), 1u);
}

TEST_F(PackingStationTest, PrintFailedBecauseThePrinterWentAwayIsPrintedAgainWhenItReturns) {
    using hardware::DeviceHealth;
    using hardware::DeviceKind;
    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Present);
    printer_.fail_next("media-empty-error");
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    weigh(200 + 350 + 100 + 4);
    pump_printer();
    ASSERT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(station_->parcel()->exception->reason, "express.print_failed");
    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Faulty, "out of labels");
    EXPECT_EQ(screen_.last().code, "device.paused");
    device("printer", DeviceKind::LabelPrinter, DeviceHealth::Present);
    pump_printer();
    EXPECT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    EXPECT_EQ(printer_.jobs().size(), 2u);
}

TEST_F(PackingStationTest, APoolNumberIsTakenOnlyWithTheLabelThatCarriesIt) {
    // A label the printer refused never left with its pool number: the
    // number must not stay on the parcel while the pool still offers it, or
    // the parcel ships on it and every later parcel of the carrier is
    // refused as "reused" (found killing a synced shift at random points).
    for (const char* id : {"P-1", "P-2"}) {
        Order order = scene_order(id, {{"MUG", 1}}, "");
        order.carrier = "ups";
        ASSERT_TRUE(store_->upsert_order(order).ok());
    }
    ASSERT_TRUE(store_->add_pool_numbers("ups", {"1Z879E930346834440", "1Z5R89390357567127"}).ok());
    printer_.close();  // unplugged, and not yet reported as gone
    scan("P-1");
    scan("036000291452");
    weigh(450);
    ASSERT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(station_->parcel()->exception->reason, "express.print_failed");
    EXPECT_EQ(station_->parcel()->tracking_number, "") << "a number no label carries";

    ASSERT_TRUE(printer_.open(sink_).ok());
    scan("PL-CMD:RETRY");
    pump_printer();
    ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    const std::string first = station_->parcel()->tracking_number;
    EXPECT_EQ(first, "1Z879E930346834440");
    scan("]Q1" + printed_qr());
    ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;

    // The next parcel of the carrier gets the other number and ships.
    scan("P-2");
    scan("036000291452");
    weigh(450);
    pump_printer();
    ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
    EXPECT_EQ(station_->parcel()->tracking_number, "1Z5R89390357567127");
    scan("]Q1" + printed_qr());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(PackingStationTest, LosingTheOnlyScannerSaysSoButACameraKeepsScanning) {
    using hardware::DeviceHealth;
    using hardware::DeviceKind;
    device("scanner", DeviceKind::Scanner, DeviceHealth::Present);
    device("camera", DeviceKind::Camera, DeviceHealth::Present);
    device("scanner", DeviceKind::Scanner, DeviceHealth::Absent, "scanner unplugged");
    EXPECT_TRUE(screen_.verdicts.empty());  // the camera still scans
    device("camera", DeviceKind::Camera, DeviceHealth::Absent, "camera gone");
    EXPECT_EQ(screen_.last().code, "device.paused");
    EXPECT_NE(screen_.last().message.find("scanner unplugged"), std::string::npos)
        << screen_.last().message;
    device("scanner", DeviceKind::Scanner, DeviceHealth::Present);
    EXPECT_EQ(screen_.last().code, "device.resumed");
}

}  // namespace
}  // namespace packline::station
