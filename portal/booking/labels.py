"""Swedish labels of bookings' states and purposes on the staff pages."""

from portal.booking.models import BookingStatus, Purpose

STATUS_LABELS = {BookingStatus.BOOKED: "bokad", BookingStatus.CANCELLED: "avbokad",
                 BookingStatus.ATTENDED: "kom", BookingStatus.NO_SHOW: "kom inte",
                 BookingStatus.UNSCHEDULED: "avbokad på webben, ny tid behövs"}
PURPOSE_LABELS = {Purpose.FIRST_APPOINTMENT: "nybesök", Purpose.OUTREACH: "uppsökande (brev om vräkningsrisk)"}
