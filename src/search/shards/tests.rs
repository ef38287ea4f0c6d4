//! Unit tests of the shard layout.

use super::coding::MAX_SUFFIX_WORD;
use super::*;

#[test]
fn front_coding_round_trips_and_shares_prefixes() {
    let words = [
        "lon",
        "lonen",
        "lonesamtal",
        "loneutveckling",
        "ärende",
        "ärenden",
        "𝐀b",
        "𝐀c",
    ];
    let mut coder = FrontCoder::default();
    for w in words {
        coder.push(w);
    }
    assert_eq!(decode_front_coded(&coder.out), words);
    assert!(coder.out.starts_with("glon jen ksamtal kutveckling g"), "{}", coder.out);
}

#[test]
fn suffixes_start_after_the_first_letter_and_are_three_letters_or_more() {
    let terms = vec!["samtal".to_string(), "2100".to_string(), "lön".to_string()];
    let keys: Vec<&str> = suffixes(&terms).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["amtal", "mtal", "tal"]);
}

#[test]
fn only_words_of_a_bounded_length_have_endings() {
    let longest = "å".repeat(MAX_SUFFIX_WORD);
    let terms = vec![longest.clone(), format!("{longest}a"), "ö".repeat(100_000)];
    let found = suffixes(&terms);
    assert_eq!(found.len(), MAX_SUFFIX_WORD - 3);
    assert!(found.iter().all(|&(_, word)| word == 0));
}

#[test]
fn angle_brackets_are_escaped() {
    assert_eq!(to_json(&"</script>"), b"\"\\u003c/script>\"");
}
