"""Lowering: a validated OpenAPI document becomes the IR (`generator.ir.Client`)."""
