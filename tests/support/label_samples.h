// The orders every label template is proven on: Latin, accented, Chinese,
// Japanese, Cyrillic and a very long address. Shared by the label unit,
// verification and golden tests and the render benchmark. Changing one
// changes the golden files (tests/golden/labels/CHANGES.md).
#pragma once

#include <string>
#include <vector>

#include "packline/labels/label_data.h"

namespace packline::test {

struct LabelSample {
    std::string name;
    labels::LabelData data;
};

inline labels::LabelData base_label_data() {
    labels::LabelData data;
    data.order_id = "SO-2024-000123";
    data.parcel_sequence = 1;
    data.parcel_count = 2;
    data.sender_name = "Packline Demo Shop";
    data.sender_address = "Unit 7, Riverside Industrial Estate, Leeds LS1 4AB";
    data.carrier_name = "UPS";
    data.service = "Standard";
    data.tracking_number = "1Z5R89390357567127";
    data.weight_g = 1250;
    data.station = "bench-01";
    data.date = "2026-11-23";
    data.items = {{"TEE-RED-M", "Organic cotton tee", "TEE", "M", "Red", 2},
                  {"MUG-01", "Enamel mug", "MUG", "", "White", 1}};
    return data;
}

inline std::vector<LabelSample> label_samples() {
    std::vector<LabelSample> samples;
    {
        labels::LabelData data = base_label_data();
        data.recipient_name = "Jane Q. Doe";
        data.phone = "+44 20 7946 0958";
        data.address_lines = {"Flat 4, 221B Baker Street", "Marylebone"};
        data.city = "London";
        data.postal_code = "NW1 6XE";
        data.country = "GB";
        samples.push_back({"latin", data});
    }
    {
        labels::LabelData data = base_label_data();
        data.recipient_name = "Zoë Łukasiewicz-Müller";
        data.phone = "+33 1 42 68 53 00";
        data.address_lines = {"12, rue de l'Église", "Bâtiment Ç, 3ᵉ étage"};
        data.city = "Saint-Étienne";
        data.postal_code = "42000";
        data.country = "FR";
        data.tracking_number = "9400111206206406260787";
        samples.push_back({"accented", data});
    }
    {
        labels::LabelData data = base_label_data();
        data.recipient_name = "王小明";
        data.phone = "+86 10 6500 1234";
        data.address_lines = {"朝阳区建国路88号", "SOHO现代城 2号楼 1501室"};
        data.city = "北京市";
        data.region = "北京";
        data.postal_code = "100022";
        data.country = "CN";
        data.carrier_name = "SF Express";
        data.tracking_number = "SF1234567890123";
        data.sscc = "340123451234567895";
        samples.push_back({"chinese", data});
    }
    {
        labels::LabelData data = base_label_data();
        data.recipient_name = "佐藤 花子";
        data.phone = "+81 3-1234-5678";
        data.address_lines = {"丸の内1-1-1", "パレスビル 12階"};
        data.city = "千代田区";
        data.region = "東京都";
        data.postal_code = "100-0005";
        data.country = "JP";
        data.carrier_name = "Yamato";
        data.tracking_number = "EJ123456785JP";
        samples.push_back({"japanese", data});
    }
    {
        labels::LabelData data = base_label_data();
        data.recipient_name = "Анна Сергеевна Иванова";
        data.phone = "+7 495 123-45-67";
        data.address_lines = {"ул. Тверская, д. 7, кв. 12"};
        data.city = "Москва";
        data.postal_code = "125009";
        data.country = "RU";
        data.tracking_number = "RA123456785RU";
        samples.push_back({"cyrillic", data});
    }
    {
        labels::LabelData data = base_label_data();
        data.recipient_name =
            "Maximilian Alexander Friedrich-Wilhelm von und zu Hohenzollern-Sigmaringen";
        data.phone = "+49 30 1234567890";
        for (int i = 1; i <= 9; ++i)
            data.address_lines.push_back("Line " + std::to_string(i) +
                                         " of a very long address: Hinterhaus, Aufgang B, "
                                         "bei Familie Schmidt-Oberhuber");
        data.city = "Berlin-Charlottenburg-Wilmersdorf";
        data.postal_code = "10585";
        data.country = "DE";
        data.service = "Express Saver International Next Business Day Before Noon";
        for (int i = 0; i < 40; ++i)
            data.items.push_back(
                {"SKU-" + std::to_string(1000 + i), "Spare part", "PART", "L", "Black", 1});
        samples.push_back({"long-address", data});
    }
    return samples;
}

}  // namespace packline::test
