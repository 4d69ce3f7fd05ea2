"""Support cases, problem trees and lessons."""
