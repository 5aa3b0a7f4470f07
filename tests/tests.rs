//! Integration tests of the vlocr library, compiled into one binary.

// Shared helpers: where the models and the shared real images are.
mod support;

// The whole engine on fake models: no weights needed.
mod engine_fakes;
// The real models on the shared real images (skipped with a message when absent).
mod real_images;
// The real models on synthetic cards from vlocr-synth.
mod synthetic;
