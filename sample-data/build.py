#!/usr/bin/env python3
"""Builds the bundled sample inventories of the fictional Acme Group from one account list.

The same 36 accounts are written three ways, as real teams keep them:
  acme-accounts.csv               UTF-8, English headers (the global marketing team's sheet)
  acme-accounts.json              JSON with the company profile (targets, legal entities)
  acme-accounts-excel-gb18030.csv GB18030, Chinese headers and Chinese values, CRLF, no BOM
                                  (the Shanghai team's Excel export on Chinese Windows)
plus clean-accounts.csv, a healthy inventory that raises no high or critical finding, and
openplatform-export.json, two accounts as the WeChat Open Platform API returns them.

Run from anywhere: python3 sample-data/build.py  (deterministic; commit the outputs).
"""
import csv
import io
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body17, valid=True):
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    check = (31 - total % 31) % 31
    if not valid:
        check = (check + 7) % 31
    return body17 + USCC_CHARS[check]


SH = "Acme Tea (Shanghai) Co., Ltd."
SH_ZH = "阿克米茶饮(上海)有限公司"
HK = "Acme Tea Ltd."
SG = "Lotus Beauty Pte. Ltd."
MY = "Acme Tea Malaysia Sdn. Bhd."
AGENCY = "Shanghai Bluewhale Digital Marketing Co., Ltd."
SH_USCC = uscc("91310000MA1K4AC3X")
AGENCY_USCC = uscc("91310115MA1H7BW2Q")
BAD_USCC = uscc("91440300MA5F8NW1T", valid=False)
COMPANY = {
    "name": "Acme Group",
    # "|" separates the names one entity goes by: the Shanghai team's export writes it in Chinese.
    "legal_entities": [f"{SH} | {SH_ZH}", HK, SG, MY],
    "targets": ["CN", "HK", "SG", "MY", "US"],
    "planned_features": ["payments", "mini_program"],
}

COLUMNS = ["id", "name", "type", "platform", "portal", "phone", "entity_name", "entity_type",
           "entity_country", "credit_code", "icp_filing", "wallet_currency", "verified",
           "verification_expiry", "payments", "merchant_id", "merchant_track", "merchant_entity",
           "admin", "admin_status", "operators", "audience", "features", "brand", "status",
           "followers", "last_active", "notes", "cost_centre"]

MP = "https://mp.weixin.qq.com"
INTL = "https://admin.wechat.com"


def acct(**kw):
    row = {c: "" for c in COLUMNS}
    row.update({k: v for k, v in kw.items()})
    return row


def sh(**kw):  # a mainland account of the Shanghai entity
    base = dict(entity_name=SH, entity_type="enterprise", entity_country="CN", credit_code=SH_USCC,
                wallet_currency="CNY", admin="acme_mkt_admin", admin_status="company",
                operators="li_na;wang_wei", brand="Acme Tea", status="active")
    base.update(kw)
    return acct(**base)


ACCOUNTS = [
    # --- Acme Tea: mostly healthy on the Weixin platform -------------------------------------
    sh(id="gh_a1c3e5f7a901", name="Acme Tea 阿克米茶饮", type="service", platform="weixin",
       portal=MP, icp_filing="沪ICP备20231234号-1", verified="yes", verification_expiry="2027-06-30",
       payments="yes", merchant_id="1650000001", merchant_track="domestic", merchant_entity=SH,
       audience="CN", features="payments;mini_program;channels", followers="128,400",
       last_active="2026-11-20", cost_centre="MKT-CN"),
    sh(id="wx4f2a6c8e0b1d3579", name="阿克米茶饮商城", type="mini_program", portal=MP,
       icp_filing="沪ICP备20231234号-2", verified="yes", verification_expiry="2027-05-31",
       payments="yes", merchant_id="1650000002", merchant_track="domestic", merchant_entity=SH,
       audience="CN", features="payments", followers="", last_active="2026-11-22",
       cost_centre="ECOM"),
    sh(id="gh_a1c3e5f7a906", name="Acme Tea Shanghai Events", type="subscription", portal=MP,
       verified="yes", verification_expiry="2027-03-31", admin="wxid_zhao_departed",
       admin_status="departed", operators="", audience="CN", features="menu",
       followers="8,120", last_active="2026-10-30",
       notes="admin left in June; nobody else can log in"),
    sh(id="gh_a1c3e5f7a904", name="阿克米茶饮资讯", type="subscription", portal=MP,
       verified="no", payments="yes", merchant_id="1650000004", merchant_track="domestic",
       merchant_entity=SH, audience="CN", features="payments;template_messages",
       followers="3.5万", last_active="2026-11-18"),
    sh(id="wx7d9e1f3a5b7c9d1e", name="阿克米积分", type="mini_program", portal=MP, verified="yes",
       verification_expiry="2027-04-30", audience="CN", features="mini_program",
       last_active="2026-11-01", notes="loyalty points; ICP filing still pending"),
    sh(id="gh_a1c3e5f7a909", name="Acme Tea Beijing", type="subscription", portal=MP,
       verified="yes", verification_expiry="2026-10-01", audience="CN", followers="2,300",
       last_active="2025-12-01", notes="not posted since the Beijing store closed"),
    sh(id="gh_a1c3e5f7a90a", name="Acme Tea Guangzhou", type="service", portal=MP,
       verified="yes", verification_expiry="2027-01-20", audience="CN", followers="15,900",
       last_active="2026-11-15", icp_filing="沪ICP备20231234号-3"),
    sh(id="gh_a1c3e5f7a90b", name="Acme Tea Shenzhen", type="subscription", portal="",
       entity_name="", entity_country="", credit_code="", wallet_currency="",
       verified="yes", verification_expiry="2027-02-28", audience="CN",
       last_active="2026-09-12", notes="who set this up? portal unknown"),
    sh(id="wxid_acme_kf01", name="Acme客服小李", type="personal", platform="wechat",
       phone="+86 138 0013 8000", entity_name="", entity_type="", entity_country="",
       credit_code="", admin="", admin_status="", operators="", audience="CN",
       features="red_packets", last_active="2026-11-25"),
    sh(id="1.23457E+17", name="阿克米门店导购", type="personal", phone="0086-139-1234-5678",
       entity_name="", entity_type="", entity_country="", credit_code="", admin="",
       admin_status="", operators="", audience="CN", last_active="2026-11-10",
       notes="ID was mangled when the sheet was opened in Excel"),
    sh(id="gh_a1c3e5f7a90c", name="Acme Tea Campus", type="subscription", portal=MP,
       entity_name=AGENCY, credit_code=AGENCY_USCC, verified="yes",
       verification_expiry="2027-07-31", admin="bluewhale_ops", admin_status="agency",
       operators="bluewhale_ops2", audience="CN", followers="4,410", last_active="2026-11-02",
       notes="registered by our agency"),
    sh(id="gh_a1c3e5f7a90d", name="Acme Tea Fan Club", type="subscription", portal=MP,
       entity_name="张伟", entity_type="individual", credit_code="", verified="no",
       payments="yes", merchant_id="1650000009", merchant_track="domestic", merchant_entity=SH,
       audience="CN", followers="980", last_active="2026-11-11"),
    sh(id="gh_a1c3e5f7a90e", name="Acme Tea Shenzhen Store", type="service", portal=MP,
       credit_code=BAD_USCC, verified="yes", verification_expiry="2027-09-30",
       payments="yes", merchant_id="1650000010", merchant_track="domestic",
       merchant_entity=AGENCY, audience="CN", features="payments",
       followers="6,020", last_active="2026-11-19", notes="merchant opened by the agency"),
    sh(id="ch_acme_tea_official", name="阿克米茶饮视频号", type="channels", portal=MP,
       audience="CN", features="channels;live_streaming", followers="2.1万",
       last_active="2026-11-24"),
    sh(id="ww_acme_tea", name="Acme Tea WeCom", type="wecom", portal="https://work.weixin.qq.com",
       audience="CN", features="customer_service", last_active="2026-11-26"),
    # Hong Kong, Malaysia, Singapore, US
    acct(id="gh_a1c3e5f7a902", name="Acme Tea HK 阿克米茶饮香港", type="service", platform="weixin",
         portal=MP, entity_name=HK, entity_type="enterprise", entity_country="HK",
         wallet_currency="HKD", verified="yes", verification_expiry="2027-08-31", payments="yes",
         merchant_id="1650000101", merchant_track="hk", merchant_entity=HK,
         admin="acme_hk_admin", admin_status="company", operators="chan_tm",
         audience="HK", features="payments;menu", brand="Acme Tea", status="active",
         followers="22,300", last_active="2026-11-21"),
    acct(id="wx0b1c2d3e4f5a6b7c", name="Acme Tea HK Shop", type="mini_program", portal=MP,
         entity_name=HK, entity_type="enterprise", entity_country="HK", wallet_currency="HKD",
         verified="yes", verification_expiry="2027-08-31", payments="yes",
         merchant_id="1650000102", merchant_track="domestic", merchant_entity=HK,
         admin="acme_hk_admin", admin_status="company", operators="chan_tm", audience="HK;CN",
         features="payments", brand="Acme Tea", status="active", last_active="2026-11-21",
         notes="merchant account opened on the wrong track"),
    acct(id="gh_a1c3e5f7a903", name="Acme Tea International", type="subscription",
         platform="wechat", portal=INTL, entity_name=HK, entity_type="enterprise",
         entity_country="HK", wallet_currency="HKD", verified="yes",
         verification_expiry="2027-03-15", admin="acme_hk_admin", admin_status="company",
         operators="chan_tm", audience="HK;SG;CN", features="menu", brand="Acme Tea",
         status="active", followers="41,700", last_active="2026-11-12",
         notes="registered 2016 on the international platform"),
    acct(id="wxid_acme_hk_concierge", name="Acme Tea HK Concierge", type="personal",
         phone="+852 9123 4567", wallet_currency="HKD", audience="HK", brand="Acme Tea",
         status="active", last_active="2026-11-23"),
    acct(id="gh_a1c3e5f7a905", name="Acme Tea Malaysia", type="service", portal=MP,
         entity_name=MY, entity_type="enterprise", entity_country="MY", wallet_currency="MYR",
         verified="yes", verification_expiry="2027-02-28", payments="yes",
         merchant_id="1650000201", merchant_track="cross_border", merchant_entity=MY,
         admin="acme_my_admin", admin_status="employee", operators="siti_a",
         audience="MY", features="payments;menu", brand="Acme Tea", status="active",
         followers="9,800", last_active="2026-11-17"),
    acct(id="gh_a1c3e5f7a907", name="Acme Tea Red Packet Club", type="service", portal=MP,
         entity_name=HK, entity_type="enterprise", entity_country="HK", wallet_currency="HKD",
         verified="yes", verification_expiry="2027-05-31", admin="acme_hk_admin",
         admin_status="company", operators="chan_tm", audience="SG",
         features="red_packets;split_bill", brand="Acme Tea", status="active",
         followers="1,250", last_active="2026-11-05"),
    acct(id="gh_a1c3e5f7a907", name="Acme Tea Red Packet Club (copy)", type="service",
         portal=MP, entity_name=HK, entity_type="enterprise", entity_country="HK",
         verified="yes", verification_expiry="2027-05-31", admin="acme_hk_admin",
         admin_status="company", operators="chan_tm", audience="SG", brand="Acme Tea",
         status="active", last_active="2026-11-05", notes="pasted twice?"),
    acct(id="gh_a1c3e5f7a908", name="Acme Tea US", type="service", portal=MP,
         entity_name=HK, entity_type="enterprise", entity_country="HK", wallet_currency="USD",
         verified="yes", verification_expiry="2027-06-30", admin="acme_hk_admin",
         admin_status="company", operators="jlee", audience="US",
         features="red_packets;wechat_out", brand="Acme Tea", status="active",
         followers="3,100", last_active="2026-11-09"),
    # --- Lotus Beauty: targets mainland China with only international WeChat accounts --------
    acct(id="gh_b2d4f6a8c001", name="Lotus Beauty 莲花美妆", type="service", platform="wechat",
         portal=INTL, entity_name=SG, entity_type="enterprise", entity_country="SG",
         wallet_currency="USD", verified="yes", verification_expiry="2027-04-30",
         admin="lotus_admin", admin_status="company", operators="mei_t;priya_s",
         audience="SG;MY;CN", features="menu;template_messages", brand="Lotus Beauty",
         status="active", followers="56,000", last_active="2026-11-20",
         notes="our main account for all of Asia"),
    acct(id="gh_b2d4f6a8c002", name="莲花美妆中国", type="subscription", platform="weixin",
         portal=INTL, entity_name=SG, entity_type="enterprise", entity_country="SG",
         verified="yes", verification_expiry="2027-01-10", admin="lotus_admin",
         admin_status="company", operators="mei_t", audience="CN", brand="Lotus Beauty",
         status="active", followers="12,000", last_active="2026-11-14",
         notes="the team believes this one is on Weixin"),
    acct(id="wxid_lotus_sg01", name="Lotus Beauty Concierge SG", type="personal",
         phone="+65 9123 4567", wallet_currency="SGD", audience="SG", brand="Lotus Beauty",
         status="active", last_active="2026-11-26"),
    acct(id="wxid_lotus_hk01", name="莲花美妆香港顾问", type="personal", phone="+852 6123 4567",
         wallet_currency="HKD", audience="HK;CN", features="red_packets", brand="Lotus Beauty",
         status="active", last_active="2026-11-25"),
    acct(id="gh_b2d4f6a8c003", name="Lotus Beauty Malaysia", type="subscription",
         portal=INTL, entity_name=SG, entity_type="enterprise", entity_country="SG",
         wallet_currency="MYR", verified="no", admin="=HYPERLINK(\"http://lotus.example\")",
         admin_status="unknown", operators="", audience="MY", brand="Lotus Beauty",
         status="active", last_active="2026-03-02"),
    # --- Northwind Travel: mainland customers served only by personal accounts ---------------
    acct(id="wxid_nw_sales01", name="北风旅行顾问小王", type="personal", phone="+86 139 0000 1111",
         wallet_currency="CNY", audience="CN", features="taxi;red_packets",
         brand="Northwind Travel", status="active", last_active="2026-11-26"),
    acct(id="wxid_nw_sales02", name="北风旅行客服", type="personal", phone="86-137-0000-2222",
         wallet_currency="CNY", audience="CN", brand="Northwind Travel", status="active",
         last_active="2026-11-20"),
    acct(id="wxid_nw_uk01", name="Northwind Travel Desk 🇬🇧", type="personal",
         phone="+44 7700 900123", wallet_currency="GBP", audience="GB",
         features="taxi;split_bill", brand="Northwind Travel", status="active",
         last_active="2026-11-21"),
    acct(id="wxid_nw_hk01", name="北风旅行香港", type="personal", phone="+852 5123 0000",
         wallet_currency="", audience="HK", brand="Northwind Travel", status="active",
         last_active="2026-11-19"),
    acct(id="", name="Northwind 企业微信", type="wecom", portal="https://work.weixin.qq.com",
         entity_name="Northwind Travel Ltd.", entity_type="enterprise", entity_country="GB",
         audience="GB", brand="Northwind Travel", status="active", last_active="2026-11-02",
         admin="nw_it", admin_status="company", operators="nw_it2"),
]

ZH_HEADERS = {
    "id": "原始ID", "name": "账号名称", "type": "账号类型", "platform": "平台", "portal": "管理后台",
    "phone": "绑定手机", "entity_name": "主体名称", "entity_type": "主体类型",
    "entity_country": "主体所在地", "credit_code": "统一社会信用代码", "icp_filing": "ICP备案号",
    "wallet_currency": "钱包币种", "verified": "认证状态", "verification_expiry": "认证到期时间",
    "payments": "微信支付", "merchant_id": "商户号", "merchant_track": "商户类型",
    "merchant_entity": "商户主体", "admin": "管理员微信号", "admin_status": "管理员状态",
    "operators": "运营者", "audience": "目标市场", "features": "功能", "brand": "品牌",
    "status": "状态", "followers": "粉丝数", "last_active": "最近活跃", "notes": "备注",
    "cost_centre": "成本中心",
}
ZH_VALUES = {
    "type": {"subscription": "订阅号", "service": "服务号", "mini_program": "小程序",
             "personal": "个人微信", "wecom": "企业微信", "channels": "视频号"},
    "platform": {"weixin": "微信", "wechat": "WeChat海外版"},
    "verified": {"yes": "已认证", "no": "未认证"},
    "payments": {"yes": "是", "no": "否"},
    "entity_type": {"enterprise": "企业", "individual": "个人"},
    "entity_country": {"CN": "中国大陆", "HK": "中国香港", "SG": "新加坡", "MY": "马来西亚",
                       "GB": "英国"},
    "merchant_track": {"domestic": "境内", "cross_border": "跨境", "hk": "香港"},
    "admin_status": {"company": "公司", "employee": "在职", "departed": "离职", "agency": "代运营",
                     "unknown": "未知"},
    "status": {"active": "正常", "dormant": "停用"},
    "wallet_currency": {"CNY": "人民币"},
}
ZH_MARKETS = {"CN": "中国大陆", "HK": "中国香港", "SG": "新加坡", "MY": "马来西亚", "US": "美国",
              "GB": "英国"}


def zh_date(s):
    if not s:
        return s
    y, m, d = s.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def to_zh(row):
    out = {}
    for c in COLUMNS:
        v = row[c]
        if c in ZH_VALUES and v:
            v = ZH_VALUES[c].get(v, v)
        elif c == "audience" and v:
            v = "、".join(ZH_MARKETS.get(m, m) for m in v.split(";"))
        elif c in ("features", "operators") and v:
            v = "、".join(v.split(";"))
        elif c in ("verification_expiry",):
            v = zh_date(v)
        elif c == "last_active" and v:
            y, m, d = v.split("-")
            v = f"{y}/{int(m)}/{int(d)}"
        elif c == "portal" and v:
            v = v.replace("https://", "")
        elif c in ("entity_name", "merchant_entity") and v == SH:
            v = SH_ZH
        out[ZH_HEADERS[c]] = v
    return out


def to_json(row):
    out = {}
    for c in COLUMNS:
        v = row[c]
        if v == "":
            continue
        if c in ("audience", "features", "operators"):
            v = v.split(";")
        elif c in ("verified", "payments"):
            v = v == "yes"
        elif c == "followers" and v.replace(",", "").isdigit():
            v = int(v.replace(",", ""))
        out[c] = v
    return out


def write_csv(path, header, rows, encoding, crlf):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header])
    with open(path, "wb") as f:
        f.write(buf.getvalue().encode(encoding))


def clean_accounts():
    rows = [a for a in ACCOUNTS if a["id"] in (
        "gh_a1c3e5f7a901", "wx4f2a6c8e0b1d3579", "gh_a1c3e5f7a902", "wxid_acme_hk_concierge",
        "ww_acme_tea", "ch_acme_tea_official")]
    return rows


def main():
    write_csv(os.path.join(HERE, "acme-accounts.csv"), COLUMNS, ACCOUNTS, "utf-8", crlf=False)
    with open(os.path.join(HERE, "acme-accounts.json"), "w", encoding="utf-8") as f:
        json.dump({"company": COMPANY, "accounts": [to_json(a) for a in ACCOUNTS]}, f,
                  ensure_ascii=False, indent=2)
        f.write("\n")
    zh_rows = [to_zh(a) for a in ACCOUNTS]
    write_csv(os.path.join(HERE, "acme-accounts-excel-gb18030.csv"),
              [ZH_HEADERS[c] for c in COLUMNS], zh_rows, "gb18030", crlf=True)
    write_csv(os.path.join(HERE, "clean-accounts.csv"), COLUMNS, clean_accounts(), "utf-8",
              crlf=False)
    with open(os.path.join(HERE, "acme-profile.toml"), "w", encoding="utf-8") as f:
        f.write('# Acme Group company profile: who we are and whom we want to reach.\n')
        f.write(f'name = "{COMPANY["name"]}"\n')
        f.write('# One entry per legal entity; "|" separates the names one entity goes by (the Shanghai\n'
                "# team's export writes them in Chinese).\n")
        f.write("legal_entities = [\n" + "".join(f'  "{e}",\n' for e in COMPANY["legal_entities"]) + "]\n")
        f.write("targets = " + json.dumps(COMPANY["targets"]) + "\n")
        f.write("planned_features = " + json.dumps(COMPANY["planned_features"]) + "\n")
    openplatform = [
        {"authorizer_info": {"nick_name": "Acme Tea 阿克米茶饮", "user_name": "gh_a1c3e5f7a901",
                             "alias": "acmetea", "service_type_info": {"id": 2},
                             "verify_type_info": {"id": 0}, "principal_name": SH_ZH,
                             "business_info": {"open_pay": 1, "open_shake": 0, "open_scan": 0,
                                               "open_card": 0, "open_store": 0}},
         "authorization_info": {"authorizer_appid": "wx1a2b3c4d5e6f7a8b"}},
        {"authorizer_info": {"nick_name": "阿克米茶饮资讯", "user_name": "gh_a1c3e5f7a904",
                             "alias": "", "service_type_info": {"id": 0},
                             "verify_type_info": {"id": -1}, "principal_name": SH_ZH,
                             "business_info": {"open_pay": 1}},
         "authorization_info": {"authorizer_appid": "wx9f8e7d6c5b4a3f2e"}},
    ]
    with open(os.path.join(HERE, "openplatform-export.json"), "w", encoding="utf-8") as f:
        json.dump(openplatform, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
