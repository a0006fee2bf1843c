#!/usr/bin/env bash
# b_live.sh: the real-Kafka part of make bench (placeholder).
echo "b_live: not written yet"
