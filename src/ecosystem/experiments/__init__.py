"""Experiments: specs, sweeps on any executor, the Parquet results store, analysis and report."""
