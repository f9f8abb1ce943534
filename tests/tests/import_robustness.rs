//! No input makes the importer panic: deterministic mutations of valid inventories (bytes
//! flipped, cut, duplicated) in every form and under names that select every reader.

use wxaudit::import::{load_bytes, ImportOptions};

const SEEDS: &[&str] = &[
    "id,name,type,phone,followers,last_active,audience,features\n\
     gh_1,Acme,订阅号,+86 138 0000 0000,1.2万,2024年3月31日,中国大陆;HK,红包\n\
     gh_2,\"Be,ta\",service,0086-13800000000,\"12,345\",2024/3/31,global,payments\n",
    "[{\"id\": \"gh_1\", \"name\": \"A\", \"audience\": [\"CN\"], \"followers\": 12},\
      {\"authorizer_info\": {\"user_name\": \"gh_2\", \"service_type_info\": {\"id\": 2}}}]",
    "{\"company\": {\"targets\": [\"CN\"]}, \"accounts\": [{\"id\": \"gh_1\"}]}\n",
    "{\"id\": \"gh_1\"}\n{\"id\": \"gh_2\", \"type\": \"小程序\"}\n",
];

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let names = ["x.csv", "x.json", "x.jsonl", "x.tsv", "x"];
    let interesting: &[u8] = b",;\t|\"\n\r{}[]:\\\xff\xfe\xef\xbb\xbf\x00";
    for i in 0..3000 {
        let mut b = SEEDS[i % SEEDS.len()].as_bytes().to_vec();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(b.len());
            match rng.below(4) {
                0 => b[at] = interesting[rng.below(interesting.len())],
                1 => b[at] = rng.next() as u8,
                2 => b.truncate(at),
                _ => {
                    let end = (at + rng.below(16)).min(b.len());
                    let piece = b[at..end].to_vec();
                    b.splice(at..at, piece);
                }
            }
            if b.is_empty() {
                break;
            }
        }
        let name = names[rng.below(names.len())];
        let opts = ImportOptions {
            encoding: if i % 7 == 0 {
                Some("gb18030".into())
            } else {
                None
            },
            ..ImportOptions::default()
        };
        match load_bytes(name, &b, &opts, &|_, _| {}) {
            Ok(inv) => assert_eq!(
                inv.input.rows,
                inv.accounts.len() as u64 + inv.input.rejected_rows
            ),
            Err(e) => assert!(e.to_string().starts_with(name), "{e}"),
        }
    }
}
