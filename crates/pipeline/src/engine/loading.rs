//! Loading an engine's models from their files (sessions, recognizer dictionaries), for one
//! engine or shared by several.

use vlocr_inference::{Model, ModelSignature, OnnxModel, Runtime, SessionOptions, SharedModel};
use vlocr_text_recognizer::Charset;

use super::{FastRecognizer, OcrEngine, OcrModels, OcrParams};
use crate::models::RecognizerFiles;
use crate::{ModelFiles, PipelineError, Result};

impl OcrEngine {
    /// Loads every model of `files` on `runtime`.
    pub fn load(runtime: &Runtime, files: &ModelFiles, params: &OcrParams) -> Result<OcrEngine> {
        OcrEngine::new(OcrModels::load(runtime, files, params)?, params)
    }
}

impl OcrModels {
    /// Loads every model of `files` on `runtime`, with sessions as `params` says (threads,
    /// recognizer sessions side by side).
    pub fn load(runtime: &Runtime, files: &ModelFiles, params: &OcrParams) -> Result<OcrModels> {
        let image_in = |output_rank| ModelSignature {
            input_name: "x",
            input_rank: 4,
            output_rank,
        };
        let load =
            |path: &std::path::Path, name: &str, output_rank: usize, session: SessionOptions| {
                OnnxModel::load(runtime, path, name, image_in(output_rank), session)
            };
        let detector = load(&files.detector, "text detector", 4, params.session)?;
        let classifier = load(&files.classifier, "line classifier", 2, params.session)?;
        let workers = params.recognizer_workers.max(1);
        let per_worker = SessionOptions {
            intra_threads: (params.session.intra_threads / workers).max(1),
            ..params.session
        };
        let sessions =
            |files: &RecognizerFiles, name: &str| -> Result<(Vec<Box<dyn Model>>, Charset)> {
                let first = load(&files.model, name, 3, per_worker)?;
                let charset = load_charset(files, &first)?;
                let mut sessions: Vec<Box<dyn Model>> = vec![Box::new(first)];
                for _ in 1..workers {
                    sessions.push(Box::new(load(&files.model, name, 3, per_worker)?));
                }
                Ok((sessions, charset))
            };
        let (recognizers, charset) = sessions(&files.recognizer, "text recognizer")?;
        let fast = match &files.fast_recognizer {
            Some(fast_files) => {
                let (sessions, charset) = sessions(fast_files, "fast text recognizer")?;
                Some(FastRecognizer { sessions, charset })
            }
            None => None,
        };
        Ok(OcrModels {
            detector: Box::new(detector),
            recognizers,
            charset,
            classifier: Box::new(classifier),
            fast,
        })
    }
}

/// One set of models for several engines (the server's workers): each engine made from it
/// ([`SharedModels::engine`]) holds handles to the same sessions, and a run waits while another
/// engine's run of that model lasts. Cloning it clones the handles.
#[derive(Debug, Clone)]
pub struct SharedModels {
    detector: SharedModel,
    recognizers: Vec<SharedModel>,
    charset: Charset,
    classifier: SharedModel,
    fast: Option<(Vec<SharedModel>, Charset)>,
}

impl SharedModels {
    /// `models`, to be shared.
    pub fn new(models: OcrModels) -> SharedModels {
        let share = |sessions: Vec<Box<dyn Model>>| -> Vec<SharedModel> {
            sessions.into_iter().map(SharedModel::new).collect()
        };
        SharedModels {
            detector: SharedModel::new(models.detector),
            recognizers: share(models.recognizers),
            charset: models.charset,
            classifier: SharedModel::new(models.classifier),
            fast: models.fast.map(|f| (share(f.sessions), f.charset)),
        }
    }

    /// An engine running these models, with `params`' stage settings.
    pub fn engine(&self, params: &OcrParams) -> Result<OcrEngine> {
        let boxed = |sessions: &[SharedModel]| -> Vec<Box<dyn Model>> {
            sessions
                .iter()
                .map(|s| Box::new(s.clone()) as Box<dyn Model>)
                .collect()
        };
        let models = OcrModels {
            detector: Box::new(self.detector.clone()),
            recognizers: boxed(&self.recognizers),
            charset: self.charset.clone(),
            classifier: Box::new(self.classifier.clone()),
            fast: self
                .fast
                .as_ref()
                .map(|(sessions, charset)| FastRecognizer {
                    sessions: boxed(sessions),
                    charset: charset.clone(),
                }),
        };
        OcrEngine::new(models, params)
    }
}

fn load_charset(files: &RecognizerFiles, recognizer: &OnnxModel) -> Result<Charset> {
    if files.dictionary.is_file() {
        let text = std::fs::read_to_string(&files.dictionary).map_err(|source| {
            PipelineError::CharsetRead {
                path: files.dictionary.clone(),
                source,
            }
        })?;
        return Ok(Charset::from_dictionary(&text, true));
    }
    match recognizer.metadata("character") {
        Some(text) => Ok(Charset::from_dictionary(&text, true)),
        None => Err(PipelineError::CharsetMissing {
            model: files.model.clone(),
            dictionary: files.dictionary.clone(),
        }),
    }
}
