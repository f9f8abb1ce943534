//! Writes `sample-data/acme-marketing.xlsx`: the Acme marketing team's own workbook, laid out
//! the way such workbooks really are — a notes sheet in front, a merged title row and an
//! "updated" line above the header, brand cells merged down each group, phones typed as numbers
//! (so Excel dropped their `+`), follower counts in 万 (ten thousands), a date column with one
//! failed lookup (`#N/A`), an owner column wxaudit does not know, a totals row and a note at the
//! bottom, and a hidden sheet with last year's list.
//!
//! Run from the project folder: `cargo run --example sample_workbook` (deterministic; commit the
//! output). The tests in `tests/tests/import_workbooks.rs` audit the committed file.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, XlsxError,
};

fn main() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2026, 11, 20)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("Acme Group 公众号清单")
            .set_author("Acme 市场部")
            .set_creation_datetime(&when),
    );
    let bold = Format::new().set_bold();
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let group = Format::new().set_align(FormatAlign::VerticalCenter);

    // 1. Notes first, as the team keeps it.
    let notes = wb.add_worksheet().set_name("说明")?;
    notes.write_string_with_format(0, 0, "填写说明", &bold)?;
    notes.write_string(1, 0, "每个公众号、小程序一行；品牌相同的账号合并单元格。")?;
    notes.write_string(2, 0, "粉丝数单位：万。手机号填写完整国家区号。")?;

    // 2. The inventory.
    let sheet = wb.add_worksheet().set_name("账号清单")?;
    sheet.merge_range(0, 0, 0, 12, "Acme Group 公众号清单 2026Q4", &title)?;
    sheet.merge_range(
        1,
        0,
        1,
        12,
        "更新：2026-11-20　负责人：市场部",
        &Format::new(),
    )?;
    let header = [
        "品牌",
        "账号名称",
        "原始ID",
        "微信号",
        "账号类型（订阅号/服务号）",
        "管理后台",
        "绑定手机",
        "主体",
        "认证",
        "粉丝数(万)",
        "最近发文日期",
        "目标市场",
        "负责人",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    struct Row {
        name: &'static str,
        id: &'static str,
        alias: &'static str,
        kind: &'static str,
        portal: &'static str,
        phone: f64,
        entity: &'static str,
        verified: bool,
        fans_wan: f64,
        last: Option<(u16, u8, u8)>,
        markets: &'static str,
        owner: &'static str,
    }
    let groups: [(&str, Vec<Row>); 3] = [
        (
            "Acme Tea",
            vec![
                Row {
                    name: "阿克米茶饮",
                    id: "gh_a1c3e5f7a901",
                    alias: "acmetea",
                    kind: "服务号",
                    portal: "mp.weixin.qq.com",
                    phone: 8613912345678.0,
                    entity: "阿克米茶饮(上海)有限公司",
                    verified: true,
                    fans_wan: 12.84,
                    last: Some((2026, 11, 20)),
                    markets: "中国大陆",
                    owner: "李娜",
                },
                Row {
                    name: "阿克米茶饮商城",
                    id: "wx4f2a6c8e0b1d3579",
                    alias: "",
                    kind: "小程序",
                    portal: "mp.weixin.qq.com",
                    phone: 8613912345678.0,
                    entity: "阿克米茶饮(上海)有限公司",
                    verified: true,
                    fans_wan: 0.0,
                    last: Some((2026, 11, 22)),
                    markets: "中国大陆",
                    owner: "李娜",
                },
                Row {
                    name: "Acme Tea HK",
                    id: "gh_a1c3e5f7a910",
                    alias: "acmetea_hk",
                    kind: "服务号",
                    portal: "admin.wechat.com",
                    phone: 85291234567.0,
                    entity: "Acme Tea Ltd.",
                    verified: true,
                    fans_wan: 0.42,
                    last: Some((2026, 10, 2)),
                    markets: "中国香港",
                    owner: "Kelly Chan",
                },
            ],
        ),
        (
            "Lotus Beauty",
            vec![
                Row {
                    name: "Lotus Beauty 莲花美妆",
                    id: "gh_b2d4f6a8c001",
                    alias: "lotusbeauty",
                    kind: "服务号",
                    portal: "admin.wechat.com",
                    phone: 6591234567.0,
                    entity: "Lotus Beauty Pte. Ltd.",
                    verified: true,
                    fans_wan: 3.2,
                    last: None, // a lookup that failed: #N/A
                    markets: "中国大陆、新加坡",
                    owner: "Tan Wei",
                },
                Row {
                    name: "Lotus Beauty SG",
                    id: "gh_b2d4f6a8c002",
                    alias: "lotus_sg",
                    kind: "订阅号",
                    portal: "admin.wechat.com",
                    phone: 6598765432.0,
                    entity: "Lotus Beauty Pte. Ltd.",
                    verified: false,
                    fans_wan: 0.85,
                    last: Some((2026, 9, 30)),
                    markets: "新加坡",
                    owner: "Tan Wei",
                },
            ],
        ),
        (
            "Acme Coffee",
            vec![Row {
                name: "阿克米咖啡",
                id: "gh_c3e5a7b9d001",
                alias: "acmecoffee",
                kind: "订阅号",
                portal: "mp.weixin.qq.com",
                phone: 8613812345678.0,
                entity: "阿克米茶饮(上海)有限公司",
                verified: true,
                fans_wan: 1.5,
                last: Some((2026, 11, 1)),
                markets: "中国大陆",
                owner: "王伟",
            }],
        ),
    ];
    let mut r: u32 = 4;
    for (brand, rows) in &groups {
        let first = r;
        for a in rows {
            sheet.write_string(r, 1, a.name)?;
            sheet.write_string(r, 2, a.id)?;
            if !a.alias.is_empty() {
                sheet.write_string(r, 3, a.alias)?;
            }
            sheet.write_string(r, 4, a.kind)?;
            sheet.write_string(r, 5, a.portal)?;
            sheet.write_number(r, 6, a.phone)?;
            sheet.write_string(r, 7, a.entity)?;
            sheet.write_boolean(r, 8, a.verified)?;
            if a.fans_wan > 0.0 {
                sheet.write_number(r, 9, a.fans_wan)?;
            }
            match a.last {
                Some((y, m, d)) => {
                    sheet.write_datetime_with_format(
                        r,
                        10,
                        &ExcelDateTime::from_ymd(y, m, d)?,
                        &date,
                    )?;
                }
                None => {
                    sheet.write_formula(
                        r,
                        10,
                        Formula::new("=VLOOKUP(C9,发文记录!A:B,2,FALSE)").set_result("#N/A"),
                    )?;
                }
            }
            sheet.write_string(r, 11, a.markets)?;
            sheet.write_string(r, 12, a.owner)?;
            r += 1;
        }
        if r - first > 1 {
            sheet.merge_range(first, 0, r - 1, 0, brand, &group)?;
        } else {
            sheet.write_string(first, 0, *brand)?;
        }
    }
    sheet.write_string_with_format(r, 0, "合计", &bold)?;
    sheet.write_formula(
        r,
        9,
        Formula::new(format!("=SUM(J5:J{r})")).set_result("18.81"),
    )?;
    sheet.write_string(r + 1, 0, "备注：粉丝数据截至 2026-11-20，来自公众号后台。")?;
    sheet.set_column_width(1, 22)?;
    sheet.set_column_width(4, 24)?;
    sheet.set_column_width(10, 14)?;

    // 3. Last year's list, hidden.
    let old = wb.add_worksheet().set_name("旧版清单")?;
    old.write_string(0, 0, "账号名称")?;
    old.write_string(0, 1, "原始ID")?;
    old.write_string(1, 0, "阿克米旧号")?;
    old.write_string(1, 1, "gh_old000000001")?;
    old.set_hidden(true);

    // The team last saved the workbook on its notes sheet.
    wb.worksheet_from_index(0)?.set_active(true);
    wb.save("sample-data/acme-marketing.xlsx")?;
    println!("wrote sample-data/acme-marketing.xlsx");
    Ok(())
}
