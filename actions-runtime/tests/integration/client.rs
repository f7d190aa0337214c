//! The TypeScript clients of the test apps' registries, checked in so that `.ci/client.sh`
//! compiles them with `tsc --strict`: the generator's output for every shape the decoding and
//! app tests declare (enums, tagged unions, generics, maps, options, files, decimals, 64-bit
//! integers, actions outside a namespace, required idempotency keys). `EXPECTORATE=overwrite`
//! blesses a change.

use actions_runtime::Manifest;
use actions_runtime::client::typescript;

#[test]
fn clients_of_the_test_registries() {
    for (name, registry) in [
        ("decoding", crate::decoding::registry()),
        ("app", crate::app::registry()),
    ] {
        let manifest = Manifest::of_registry(&registry);
        expectorate::assert_contents(
            format!("tests/integration/client/{name}.ts"),
            &typescript(&manifest),
        );
    }
}
