//! The in-memory store: bounded, failures forgotten, claims exclusive.

use qiwi_webhook_receiver::{Claim, DeliveryStore, MemoryStore};

#[tokio::test]
async fn the_memory_store_is_bounded_and_forgets_failures() {
    let store = MemoryStore::new(2);
    assert_eq!(store.claim("a").await, Claim::New);
    assert_eq!(store.claim("a").await, Claim::InProgress);
    store.finish("a", true).await;
    assert_eq!(store.claim("a").await, Claim::Handled);
    assert_eq!(store.claim("b").await, Claim::New);
    store.finish("b", false).await;
    assert_eq!(
        store.claim("b").await,
        Claim::New,
        "a failure may be claimed again"
    );
    store.finish("b", true).await;
    assert_eq!(store.claim("c").await, Claim::New);
    store.finish("c", true).await;
    // Capacity 2: the oldest claims ("a", then the failed "b") are forgotten first.
    assert_eq!(store.claim("a").await, Claim::New);
    assert_eq!(store.claim("c").await, Claim::Handled);
}

#[tokio::test]
async fn of_many_concurrent_claims_of_one_id_exactly_one_wins() {
    let store = std::sync::Arc::new(MemoryStore::new(100));
    let claims = (0..50).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.claim("same").await })
    });
    let mut new = 0;
    for claim in claims {
        new += usize::from(claim.await.unwrap() == Claim::New);
    }
    assert_eq!(new, 1);
}
