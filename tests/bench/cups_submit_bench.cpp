// The CUPS hand-off (budget: last check passed -> label job handed to CUPS
// <= 100 ms, of which the station's own part is in station_bench): submit()
// of a 4x6 ZPL label to a raw queue on a private cupsd on loopback, and the
// time until the job is seen completed (capture backend, job followed by
// polling every 25 ms here; 250 ms by default).
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <mutex>

#include "cups_test_server.h"
#include "packline/drivers/cups_printer.h"

namespace {

using namespace packline;

class CompletionSink final : public hardware::EventSink {
  public:
    bool post(hardware::DeviceEvent event) override {
        if (auto* update = std::get_if<hardware::PrintJobUpdate>(&event);
            update != nullptr && (update->state == hardware::PrintJobState::Completed ||
                                  update->state == hardware::PrintJobState::Failed)) {
            std::lock_guard lock(mutex_);
            finished_.push_back(update->job_id);
            wake_.notify_all();
        }
        return true;
    }
    bool try_post(hardware::DeviceEvent event) override { return post(std::move(event)); }

    bool wait_for(const std::string& job) {
        std::unique_lock lock(mutex_);
        return wake_.wait_for(lock, std::chrono::seconds(10), [&] {
            return std::find(finished_.begin(), finished_.end(), job) != finished_.end();
        });
    }

  private:
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::string> finished_;
};

const std::string kLabel =
    "^XA^PW812^LL1218^LH0,0^CI28^FO40,40^A0N,40,40^FDSHIP TO: JANE DOE^FS"
    "^FO40,100^A0N,32,32^FD1 Market St, San Francisco CA 94105^FS"
    "^FO40,450^BY3^BCN,120,Y,N,N^FD1Z5R89390357567127^FS"
    "^FO40,650^BQN,2,6^FDQA,PL1|7001|1Z5R89390357567127^FS^XZ";

struct Bench {
    packline::testing::CupsTestServer cups;
    std::unique_ptr<drivers::CupsPrinter> printer;
    CompletionSink sink;
    std::string error;

    Bench() {
        if (!cups.running() || !cups.add_capture_queue("zebra")) {
            error = "private cupsd did not start";
            return;
        }
        drivers::CupsPrinterOptions options;
        options.destination = "zebra";
        options.server = cups.address();
        options.job_poll_interval = std::chrono::milliseconds(25);
        printer = std::make_unique<drivers::CupsPrinter>(options);
        if (!printer->open(sink).ok()) error = "printer did not open";
    }
    ~Bench() {
        if (printer) printer->close();
    }
};

void SubmitHandOff(benchmark::State& state) {
    Bench bench;
    if (!bench.error.empty()) return state.SkipWithError(bench.error.c_str());
    std::string last;
    for (auto _ : state) {
        auto job = bench.printer->submit({"bench", "application/vnd.zebra.zpl", kLabel});
        if (!job.ok()) return state.SkipWithError(job.error().message.c_str());
        last = job.value();
    }
    bench.sink.wait_for(last);
}

void SubmitUntilCompleted(benchmark::State& state) {
    Bench bench;
    if (!bench.error.empty()) return state.SkipWithError(bench.error.c_str());
    for (auto _ : state) {
        auto job = bench.printer->submit({"bench", "application/vnd.zebra.zpl", kLabel});
        if (!job.ok() || !bench.sink.wait_for(job.value()))
            return state.SkipWithError("job did not complete");
    }
}

BENCHMARK(SubmitHandOff)->Unit(benchmark::kMillisecond)->Iterations(200);
BENCHMARK(SubmitUntilCompleted)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace

BENCHMARK_MAIN();
