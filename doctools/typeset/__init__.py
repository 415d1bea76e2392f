"""Typesetting knowledge shared by readers, composing and writers: the numbers of GB/T 9704-2012, where a
title breaks, where a short text may wrap, and how a table shares its width."""
