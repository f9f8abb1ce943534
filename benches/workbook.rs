//! Benchmark of importing a workbook: a 100k-account `.xlsx` built in memory (deterministic),
//! read through the public `import::load_bytes` (calamine, sheet choice, typed cells, header
//! matching, normalisation).
//!
//! The sheet looks like a real inventory: a title row merged across the header, then `id`,
//! `name`, `type`, `brand`, `phone` (a number cell: the `+86` is given back), `followers` (a
//! number) and `last_active` (a date cell). Set `WXAUDIT_BENCH_XLSX_ROWS` to change the size.

use criterion::{criterion_group, criterion_main, Criterion};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::time::Duration;
use wxaudit::import;

const TYPES: [&str; 4] = ["订阅号", "服务号", "小程序", "subscription"];
const BRANDS: [&str; 5] = ["Lotus Beauty", "Acme", "北极星", "Harbour Foods", "Nimbus"];

fn build_xlsx(rows: u32) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Notes").expect("sheet name");
    notes
        .write_string(0, 0, "Inventory kept by marketing; see the Accounts sheet")
        .expect("write");
    let ws = workbook.add_worksheet();
    ws.set_name("Accounts").expect("sheet name");
    ws.set_active(true);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.merge_range(0, 0, 0, 6, "Official accounts 2024", &Format::new())
        .expect("merge");
    let header = [
        "id",
        "name",
        "type",
        "brand",
        "phone",
        "followers",
        "last_active",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("write");
    }
    let start = ExcelDateTime::from_ymd(2023, 1, 1).expect("date");
    let start = start.to_excel();
    for i in 0..rows {
        let r = i + 2;
        let n = u64::from(i);
        ws.write_string(r, 0, format!("gh_{:012x}", n * 2_654_435_761 % (1 << 48)))
            .expect("write");
        ws.write_string(
            r,
            1,
            format!("{} 官方账号 {i}", BRANDS[i as usize % BRANDS.len()]),
        )
        .expect("write");
        ws.write_string(r, 2, TYPES[i as usize % TYPES.len()])
            .expect("write");
        ws.write_string(r, 3, BRANDS[(i as usize / 7) % BRANDS.len()])
            .expect("write");
        let phone = if i % 3 == 0 {
            85_291_000_000 + n % 1_000_000
        } else {
            8_613_900_000_000 + n
        };
        ws.write_number(r, 4, phone as f64).expect("write");
        ws.write_number(r, 5, (n * 7919 % 500_000) as f64)
            .expect("write");
        let day = ExcelDateTime::from_serial_datetime(start + (n % 700) as f64).expect("date");
        ws.write_datetime_with_format(r, 6, &day, &date)
            .expect("write");
    }
    workbook.save_to_buffer().expect("save workbook")
}

fn bench(c: &mut Criterion) {
    let rows: u32 = std::env::var("WXAUDIT_BENCH_XLSX_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let bytes = build_xlsx(rows);
    println!(
        "workbook: {rows} accounts, {:.1} MB of .xlsx",
        bytes.len() as f64 / 1e6
    );
    let mut g = c.benchmark_group("workbook");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function(format!("import xlsx {rows} rows"), |b| {
        b.iter(|| {
            import::load_bytes("big.xlsx", &bytes, &Default::default(), &|_, _| {})
                .expect("import workbook")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
