// The station's labels: the configured template and format reach the printer,
// an order's SSCC is printed, a Chinese address goes out as bitmaps, and a
// driver queue gets a PNG or PDF of the template it is made for.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "packline/labels/zpl_inspect.h"
#include "station_scene.h"

namespace packline::station {
namespace {

using testing::StationScene;

class StationLabels : public StationScene {
  protected:
    void import_order(Order order) {
        ImportBatch batch;
        batch.orders = {std::move(order)};
        ASSERT_TRUE(store_->import(batch).ok());
    }

    labels::ZplDocument printed(std::size_t index = 0) {
        const auto jobs = printer_.jobs();
        EXPECT_GT(jobs.size(), index);
        if (jobs.size() <= index) return {};
        auto document = labels::inspect_zpl(jobs[index].data);
        EXPECT_TRUE(document.ok()) << document.error().to_string();
        return document.value_or(labels::ZplDocument{});
    }
};

TEST_F(StationLabels, AnOrderThatAsksForAnSsccGetsItOnTheLabel) {
    Order order = testing::scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}});
    order.sscc = "340123451234567895";
    import_order(order);
    start_station();
    pack_a1_to_scan_back();
    const labels::ZplDocument document = printed();
    bool found = false;
    for (const auto& barcode : document.barcodes)
        if (barcode.type == "gs1-128") {
            EXPECT_EQ(barcode.data, "00340123451234567895");
            found = true;
        }
    EXPECT_TRUE(found);
    scan(label_scan());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(StationLabels, ABadSsccFailsTheExpressCheckWithTheReason) {
    Order order = testing::scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}});
    order.sscc = "340123451234567890";  // check digit should be 5
    import_order(order);
    start_station();
    scan("A-1");
    scan("]E04006381333931");
    scan("036000291452");
    weigh(200 + 350 + 100 + 4);
    ASSERT_EQ(state(), ParcelState::Exception);
    ASSERT_TRUE(station_->parcel()->exception.has_value());
    EXPECT_EQ(station_->parcel()->exception->reason, "express.print_failed");
    EXPECT_NE(screen_.last().message.find("SSCC"), std::string::npos) << screen_.last().message;
    EXPECT_TRUE(printer_.jobs().empty());
}

TEST_F(StationLabels, AChineseAddressPrintsAsBitmapsAndScansBack) {
    Order order = testing::scene_order("A-1", {{"TEE-RED-L", 1}, {"MUG", 1}});
    order.recipient = {"王小明",
                       "13800138000",
                       {{"浦东新区世纪大道100号", "15楼"}, "上海市", "上海", "200120", "CN"}};
    import_order(order);
    start_station();
    pack_a1_to_scan_back();
    const auto jobs = printer_.jobs();
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_NE(jobs[0].data.find("^GFA,"), std::string::npos);
    EXPECT_EQ(jobs[0].data.find("王小明"), std::string::npos);
    EXPECT_EQ(printed().barcodes.size(), 2u);
    scan(label_scan());
    EXPECT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
}

TEST_F(StationLabels, TheConfiguredTemplateIsUsed) {
    config_.label_template = "shipping-4x6-300";
    start_station();
    pack_a1_to_scan_back();
    const labels::ZplDocument document = printed();
    EXPECT_EQ(document.width, 1200);
    EXPECT_EQ(document.length, 1800);
}

// A driver queue (Brother QL through CUPS) takes PNG or PDF.
class RecordingPrinter final : public hardware::LabelPrinter {
  public:
    std::string id() const override { return "ql"; }
    Status open(hardware::EventSink& sink) override {
        sink_ = &sink;
        return {};
    }
    void close() override {}
    Result<std::string> submit(const hardware::PrintJob& job) override {
        jobs.push_back(job);
        const std::string job_id = "ql-" + std::to_string(jobs.size());
        sink_->post(
            hardware::PrintJobUpdate{"ql", job_id, hardware::PrintJobState::Completed, "", 0});
        return job_id;
    }
    std::vector<hardware::PrintJob> jobs;

  private:
    hardware::EventSink* sink_ = nullptr;
};

TEST_F(StationLabels, ADriverQueueGetsThePngOrPdfOfItsTemplate) {
    import_order(testing::scene_order("Q-png", {{"TEE-RED-L", 1}, {"MUG", 1}}));
    import_order(
        testing::scene_order("Q-pdf", {{"TEE-RED-L", 1}, {"MUG", 1}}, "1Z879E930346834440"));
    for (const char* format : {"png", "pdf"}) {
        SCOPED_TRACE(format);
        config_.label_template = "brother-62mm";
        config_.label_format = format;
        RecordingPrinter printer;
        ASSERT_TRUE(printer.open(sink_).ok());
        station_ = std::make_unique<PackingStation>(*store_, config_,
                                                    StationDevices{&printer, nullptr, nullptr});
        screen_subscription_ = station_->add_observer(screen_);
        ASSERT_TRUE(station_->restore().ok());
        const std::string order_id = std::string("Q-") + format;
        scan(order_id);
        scan("]E04006381333931");
        scan("036000291452");
        weigh(200 + 350 + 100 + 4);
        ASSERT_EQ(state(), ParcelState::Printing) << screen_.last().message;
        ASSERT_EQ(printer.jobs.size(), 1u);
        const std::string expected_type =
            std::string(format) == "png" ? "image/png" : "application/pdf";
        EXPECT_EQ(printer.jobs[0].content_type, expected_type);
        EXPECT_EQ(printer.jobs[0].data.substr(0, 4),
                  std::string(format) == "png" ? "\x89PNG" : "%PDF");
        pump_printer();
        ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
        scan(label_scan());
        ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
        station_.reset();
    }
}

}  // namespace
}  // namespace packline::station

namespace packline::station {
namespace {

// Scan-back takes the label from the handheld scanner or the camera,
// whichever reads it first; the other read of the same label changes nothing.
TEST_F(StationLabels, ScannerOrCameraWhicheverReadsTheLabelFirst) {
    for (const char* first : {"scanner", "camera"}) {
        SCOPED_TRACE(first);
        const std::string second = std::string(first) == "scanner" ? "camera" : "scanner";
        const std::string order_id = std::string("W-") + first;
        import_order(testing::scene_order(
            order_id, {{"TEE-RED-L", 1}, {"MUG", 1}},
            std::string(first) == "scanner" ? "1Z5R89390357567127" : "1Z879E930346834440"));
        start_station();
        scan(order_id);
        scan("]E04006381333931");
        scan("036000291452");
        weigh(200 + 350 + 100 + 4);
        pump_printer();
        ASSERT_EQ(state(), ParcelState::AwaitingScanBack) << screen_.last().message;
        const std::string label = label_scan();
        const std::string tracking = "]C0" + station_->parcel()->tracking_number;
        station_->handle(hardware::ScanEvent{first, label, 0});
        ASSERT_EQ(screen_.last().kind, VerdictKind::Confirmed) << screen_.last().message;
        const std::int64_t parcel_id = station_->parcel()->id;
        // The other device reads the QR code and the tracking barcode too.
        station_->handle(hardware::ScanEvent{second, label, 0});
        EXPECT_EQ(screen_.last().code, "label.already_confirmed") << screen_.last().message;
        station_->handle(hardware::ScanEvent{second, tracking, 0});
        EXPECT_EQ(screen_.last().code, "label.already_confirmed") << screen_.last().message;
        EXPECT_EQ(station_->parcel()->id, parcel_id);  // no new (refused) parcel
        EXPECT_EQ(state(), ParcelState::Confirmed);
    }
    EXPECT_EQ(store_->count_confirmations().value(), 2);
}

// A label of another order at scan-back is refused with the order it belongs to.
TEST_F(StationLabels, ALabelOfAnotherOrderIsRefusedAtScanBack) {
    start_station();
    pack_a1_to_scan_back();
    station_->handle(hardware::ScanEvent{
        "camera", "]Q1" + labels::label_code_payload("B-9", "1Z879E930346834440"), 0});
    EXPECT_EQ(state(), ParcelState::Exception);
    EXPECT_EQ(screen_.last().kind, VerdictKind::Exception);
    EXPECT_NE(screen_.last().message.find("B-9"), std::string::npos) << screen_.last().message;
    EXPECT_EQ(store_->count_confirmations().value(), 0);
}

}  // namespace
}  // namespace packline::station
